"""PyTorch peer of the product's `bigan` (src/Latent.Models/Gans/BiganModel.cs at GanOptions.ForKind(Bigan, 100): the
networks `latent train --model bigan --latent 100` builds) for `Latent.Bench train bigan` (issue 13's speed target:
BiGAN training at least 2x a PyTorch peer of the same networks). PyTorch 1.13 CPU (Debian python3-torch).
  E: Conv2d(1, 64, k4, s2, p1) LeakyReLU(0.2) Conv2d(64, 128, k4, s2, p1) BatchNorm2d LeakyReLU(0.2) Flatten
     Linear(6272, 100)                                                                        (x in [-1, 1] -> z)
  G: the DCGAN generator of ../shared/peers/ae_torch.py: Linear(100, 6272) BatchNorm1d ReLU -> (128, 7, 7)
     ConvTranspose2d(128, 64, k4, s2, p1) BatchNorm2d ReLU ConvTranspose2d(64, 1, k4, s2, p1) tanh
  D(x, z): trunk as E's convolutions (to 6272 features); code path Linear(100, 512) LeakyReLU(0.2);
     joint Linear(6272 + 512, 1024) LeakyReLU(0.2); head Linear(1024, 1)                      8,671,270 params in all
Per iteration (B real images, as the product's TrainStep), Adam(2e-4, betas (0.5, 0.999)) for D and for E + G:
  (1) update D:    softplus(-D(x, E(x))) + softplus(D(G(z), z)) (batch means), E(x) and G(z) detached
  (2) update E, G: softplus(-D(G(z'), z')) + softplus(D(x, E(x))) on new noise z'
Run: THREADS=2 BLAS_THREADS=1 /usr/bin/python3 scripts/peer_bigan_torch.py   [EPOCHS (default 3), MNIST_DIR, PEERS_DIR]
"""
import os
import torch, torch.nn as nn, torch.nn.functional as F
from peer_gan_loop import run

Z = 100

def trunk():
    return nn.Sequential(nn.Conv2d(1, 64, 4, 2, 1), nn.LeakyReLU(0.2), nn.Conv2d(64, 128, 4, 2, 1), nn.BatchNorm2d(128),
                         nn.LeakyReLU(0.2), nn.Flatten())

class G(nn.Module):
    def __init__(s):
        super().__init__()
        s.fc = nn.Sequential(nn.Linear(Z, 6272), nn.BatchNorm1d(6272), nn.ReLU())
        s.net = nn.Sequential(nn.ConvTranspose2d(128, 64, 4, 2, 1), nn.BatchNorm2d(64), nn.ReLU(),
                              nn.ConvTranspose2d(64, 1, 4, 2, 1), nn.Tanh())
    def forward(s, z): return s.net(s.fc(z).view(-1, 128, 7, 7))

class JointD(nn.Module):
    def __init__(s, width=1024):
        super().__init__()
        s.trunk = trunk()
        s.code = nn.Sequential(nn.Linear(Z, width // 2), nn.LeakyReLU(0.2))
        s.joint = nn.Sequential(nn.Linear(6272 + width // 2, width), nn.LeakyReLU(0.2))
        s.head = nn.Linear(width, 1)
    def forward(s, x, z): return s.head(s.joint(torch.cat([s.trunk(x), s.code(z)], 1)))

def bigan_step(e, g, d):
    """The product's BiGAN TrainStep on networks e (x -> z), g (z -> x) and d (x, z -> logit): (step, parameter count)."""
    od = torch.optim.Adam(d.parameters(), lr=2e-4, betas=(0.5, 0.999))
    oeg = torch.optim.Adam(list(e.parameters()) + list(g.parameters()), lr=2e-4, betas=(0.5, 0.999))
    def step(x):
        real = x * 2 - 1; b = len(x)
        # (1) update D: maximise log D(x, E(x)) + log(1 - D(G(z), z)), E(x) and G(z) detached
        z = torch.randn(b, Z)
        d_real, d_fake = d(real, e(real).detach()), d(g(z).detach(), z)
        loss_d = F.softplus(-d_real).mean() + F.softplus(d_fake).mean()
        od.zero_grad(); loss_d.backward(); od.step()
        # (2) update E, G: maximise log D(G(z'), z') + log(1 - D(x, E(x)))
        z2 = torch.randn(b, Z)
        loss_eg = F.softplus(-d(g(z2), z2)).mean() + F.softplus(d(real, e(real))).mean()
        oeg.zero_grad(); loss_eg.backward(); oeg.step()
        return loss_d.item()
    return step, sum(p.numel() for m in (e, g, d) for p in m.parameters())

def make_step():
    return bigan_step(nn.Sequential(*trunk(), nn.Linear(6272, Z)), G(), JointD())

if __name__ == "__main__":
    run("BiGAN", make_step, int(os.environ.get("EPOCHS", 3)))

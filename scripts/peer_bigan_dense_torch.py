"""PyTorch peer of the product's dense `bigan` (`latent train --model bigan --latent 100 --arch dense --d-dropout 0.5`:
GanNetwork.Dense, Keras-GAN's BiGAN, the seed study's) for `Latent.Bench train bigan-dense` (issue 13's speed target:
BiGAN training at least 2x a PyTorch peer of the same networks). PyTorch 1.13 CPU (Debian python3-torch).
  E: Linear(784, 512) LeakyReLU(0.2) BatchNorm1d Linear(512, 512) LeakyReLU(0.2) BatchNorm1d Linear(512, 100)
  G: Linear(100, 512) LeakyReLU(0.2) BatchNorm1d Linear(512, 512) LeakyReLU(0.2) BatchNorm1d Linear(512, 784) tanh
     (batch norm as Keras's BatchNormalization(momentum=0.8): PyTorch momentum 0.2, eps 1e-3)
  D(x, z): [x | z] (884) -> 3 x (Linear(., 1024) LeakyReLU(0.2) Dropout(0.5)) -> Linear(1024, 1)      4,442,997 params in all
Per iteration (B real images, as the product's TrainStep), Adam(2e-4, betas (0.5, 0.999)) for D and for E + G, D's
dropout active in both phases:
  (1) update D:    softplus(-D(x, E(x))) + softplus(D(G(z), z)) (batch means), E(x) and G(z) detached
  (2) update E, G: softplus(-D(G(z'), z')) + softplus(D(x, E(x))) on new noise z'
Run: THREADS=2 BLAS_THREADS=1 /usr/bin/python3 scripts/peer_bigan_dense_torch.py   [env EPOCHS (default 3), IMAGES]
"""
import os
import torch, torch.nn as nn, torch.nn.functional as F
from peer_gan_loop import run

Z, D = 100, 784

def mlp(i, o):
    return nn.Sequential(nn.Linear(i, 512), nn.LeakyReLU(0.2), nn.BatchNorm1d(512, eps=1e-3, momentum=0.2),
                         nn.Linear(512, 512), nn.LeakyReLU(0.2), nn.BatchNorm1d(512, eps=1e-3, momentum=0.2), nn.Linear(512, o))

class JointD(nn.Module):
    def __init__(s, width=1024, p=0.5):
        super().__init__()
        layers = []
        for i in (D + Z, width, width):
            layers += [nn.Linear(i, width), nn.LeakyReLU(0.2), nn.Dropout(p)]
        s.joint = nn.Sequential(*layers)
        s.head = nn.Linear(width, 1)
    def forward(s, x, z): return s.head(s.joint(torch.cat([x.flatten(1), z], 1)))

def make_step():
    e, g, d = mlp(D, Z), nn.Sequential(mlp(Z, D), nn.Tanh()), JointD()
    od = torch.optim.Adam(d.parameters(), lr=2e-4, betas=(0.5, 0.999))
    oeg = torch.optim.Adam(list(e.parameters()) + list(g.parameters()), lr=2e-4, betas=(0.5, 0.999))
    def step(x):
        real = (x * 2 - 1).flatten(1); b = len(x)
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

if __name__ == "__main__":
    run("BiGAN-dense", make_step, int(os.environ.get("EPOCHS", 3)))

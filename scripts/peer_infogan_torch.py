"""PyTorch peer of the product's `infogan` (src/Latent.Models/Gans/InfoganModel.cs at GanOptions.ForKind(Infogan, 62):
the networks `latent train --model infogan --latent 62` builds, InfoGAN's MNIST codes: 62 noise variables, one
10-way categorical code, 2 continuous codes) for `Latent.Bench train infogan` (issue 13's speed target: InfoGAN
training at least 2x a PyTorch peer of the same networks). PyTorch 1.13 CPU (Debian python3-torch).
  G: the DCGAN generator of ../shared/peers/ae_torch.py on the code c = [z (62) | one-hot (10) | U(-1, 1) (2)]:
     Linear(74, 6272) BatchNorm1d ReLU -> (128, 7, 7) ConvTranspose2d(128, 64, k4, s2, p1) BatchNorm2d ReLU
     ConvTranspose2d(64, 1, k4, s2, p1) tanh
  D: the DCGAN discriminator: Conv2d(1, 64, k4, s2, p1) LeakyReLU(0.2) Conv2d(64, 128, k4, s2, p1) BatchNorm2d
     LeakyReLU(0.2) Flatten (6272 hidden features) Linear(6272, 1)
  Q: on D's hidden features: Linear(6272, 128) BatchNorm1d LeakyReLU(0.2) Linear(128, 12)     1,558,798 params in all
Per iteration (B real images, as the product's TrainStep), Adam(2e-4, betas (0.5, 0.999)) for D and for G + Q:
  (1) update D:    softplus(-D(x)) + softplus(D(G(c))) (batch means), G(c) detached
  (2) update G, Q: softplus(-D(G(c'))) + L_MI, L_MI = CE(Q_cat, y) + 0.5 mean_i sum_j (c'_j - Q_cont_j)^2 (lambda 1)
Run: THREADS=2 BLAS_THREADS=1 /usr/bin/python3 scripts/peer_infogan_torch.py   [EPOCHS (default 3), MNIST_DIR, PEERS_DIR]
"""
import os
import torch, torch.nn as nn, torch.nn.functional as F
from peer_gan_loop import run

Z, K, C = 62, 10, 2

class G(nn.Module):
    def __init__(s):
        super().__init__()
        s.fc = nn.Sequential(nn.Linear(Z + K + C, 6272), nn.BatchNorm1d(6272), nn.ReLU())
        s.net = nn.Sequential(nn.ConvTranspose2d(128, 64, 4, 2, 1), nn.BatchNorm2d(64), nn.ReLU(),
                              nn.ConvTranspose2d(64, 1, 4, 2, 1), nn.Tanh())
    def forward(s, c): return s.net(s.fc(c).view(-1, 128, 7, 7))

def codes(b):
    labels = torch.randint(K, (b,))
    return torch.cat([torch.randn(b, Z), F.one_hot(labels, K).float(), torch.rand(b, C) * 2 - 1], 1), labels

def make_step():
    g = G()
    trunk = nn.Sequential(nn.Conv2d(1, 64, 4, 2, 1), nn.LeakyReLU(0.2), nn.Conv2d(64, 128, 4, 2, 1), nn.BatchNorm2d(128),
                          nn.LeakyReLU(0.2), nn.Flatten())
    head = nn.Linear(6272, 1)
    q = nn.Sequential(nn.Linear(6272, 128), nn.BatchNorm1d(128), nn.LeakyReLU(0.2), nn.Linear(128, K + C))
    od = torch.optim.Adam(list(trunk.parameters()) + list(head.parameters()), lr=2e-4, betas=(0.5, 0.999))
    og = torch.optim.Adam(list(g.parameters()) + list(q.parameters()), lr=2e-4, betas=(0.5, 0.999))
    def step(x):
        real = x * 2 - 1; b = len(x)
        # (1) update D: maximise log D(x) + log(1 - D(G(c))), G(c) detached
        fake = g(codes(b)[0]).detach()
        loss_d = F.softplus(-head(trunk(real))).mean() + F.softplus(head(trunk(fake))).mean()
        od.zero_grad(); loss_d.backward(); od.step()
        # (2) update G, Q: maximise log D(G(c')) - lambda L_MI
        c2, labels = codes(b)
        h = trunk(g(c2))
        out = q(h)
        mi = F.cross_entropy(out[:, :K], labels) + 0.5 * ((c2[:, Z + K:] - out[:, K:]) ** 2).sum() / b
        loss_g = F.softplus(-head(h)).mean()
        og.zero_grad(); (loss_g + mi).backward(); og.step()
        return loss_d.item()
    return step, sum(p.numel() for m in (g, trunk, head, q) for p in m.parameters())

if __name__ == "__main__":
    run("InfoGAN", make_step, int(os.environ.get("EPOCHS", 3)))

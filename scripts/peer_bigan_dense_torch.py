"""PyTorch peer of the product's dense `bigan` (`latent train --model bigan --latent 100 --arch dense --d-dropout 0.5`:
GanNetwork.Dense, Keras-GAN's BiGAN, the seed study's) for `Latent.Bench train bigan-dense` (issue 13's speed target:
BiGAN training at least 2x a PyTorch peer of the same networks). PyTorch 1.13 CPU (Debian python3-torch).
  E: Linear(784, 512) LeakyReLU(0.2) BatchNorm1d Linear(512, 512) LeakyReLU(0.2) BatchNorm1d Linear(512, 100)
  G: Linear(100, 512) LeakyReLU(0.2) BatchNorm1d Linear(512, 512) LeakyReLU(0.2) BatchNorm1d Linear(512, 784) tanh
     (batch norm as Keras's BatchNormalization(momentum=0.8): PyTorch momentum 0.2, eps 1e-3)
  D(x, z): [x | z] (884) -> 3 x (Linear(., 1024) LeakyReLU(0.2) Dropout(0.5)) -> Linear(1024, 1)      4,442,997 params in all
The step is peer_bigan_torch.py's (bigan_step), D's dropout active in both phases.
Run: THREADS=2 BLAS_THREADS=1 /usr/bin/python3 scripts/peer_bigan_dense_torch.py   [env EPOCHS (default 3), IMAGES]
"""
import os
import torch, torch.nn as nn
from peer_gan_loop import run
from peer_bigan_torch import bigan_step

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
    # images stay (N, 1, 28, 28) as the loop gives them: E flattens them, G's output is reshaped back
    e = nn.Sequential(nn.Flatten(), mlp(D, Z))
    g = nn.Sequential(mlp(Z, D), nn.Tanh(), nn.Unflatten(1, (1, 28, 28)))
    return bigan_step(e, g, JointD())

if __name__ == "__main__":
    run("BiGAN-dense", make_step, int(os.environ.get("EPOCHS", 3)))

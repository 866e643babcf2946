#!/usr/bin/python3
"""PyTorch peer of Latent's flows (src/Latent.Models/Flows), the same networks, objective and training loop, to
compare training throughput side by side (THREADS=2 BLAS_THREADS=1, one process at a time).
  made     one MADE step 784 -> 1024 -> 1568 (masked, ReLU), alpha = 5 tanh(a / 5), u = (x - mu) exp(-alpha)
  maf      5 MADE steps 784 -> 512 -> 1568 in alternating orders, flow batch norm between steps
  realnvp  2 scales x (3 checkerboard + squeeze + 3 channel couplings, factor out half) + 4 checkerboard couplings,
           coupling net conv3x3 C->64, ReLU, conv1x1 64->64, ReLU, conv3x3 64->2C (zero init), s = tanh
Data: MNIST training images of one class (CLASS, default 3; 'all' for every digit), k / 255 -> y = (k + u) / 256,
l = logit(alpha + (1 - 2 alpha) y) (alpha 1e-6, as ours since session 10; realnvp had 0.05 before); loss = mean nll / D; Adam(1e-3), batch 128.
BACKGROUND=0 (default): no background model (ours: --mutation-rate 0). BACKGROUND=1: ours by default (FlowModel.TrainStep):
after the model's step, each level of the batch is replaced with probability MUTATION (0.2) by a uniform level
(Ren et al. 2019) and a second network of the same kind takes the same step (fresh u, its own Adam) on the mutated
batch. Prints bits/dim and images/s per epoch.
Run: MODEL=maf EPOCHS=1 THREADS=2 BLAS_THREADS=1 MNIST_DIR=~/.cache/latent/mnist /usr/bin/python3 scripts/flows_peer.py
"""
import math, os, sys, time
import numpy as np, torch, torch.nn as nn, torch.nn.functional as F
from threadpoolctl import threadpool_limits

MODEL = os.environ.get("MODEL", "maf")
EPOCHS = int(os.environ.get("EPOCHS", "1"))
THREADS = int(os.environ.get("THREADS", "2"))
BLAS = int(os.environ.get("BLAS_THREADS", str(THREADS)))
CLASS = os.environ.get("CLASS", "3")
BACKGROUND = os.environ.get("BACKGROUND", "0") == "1"
MUTATION = float(os.environ.get("MUTATION", "0.2"))
DIR = os.path.expanduser(os.environ.get("MNIST_DIR", "~/.cache/latent/mnist"))
torch.set_num_threads(THREADS)
torch.manual_seed(0)


def idx(path):
    with open(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, np.uint8, offset=4 + 4 * dims).reshape(shape)


X = idx(os.path.join(DIR, "train-images-idx3-ubyte")).reshape(-1, 1, 28, 28)
Y = idx(os.path.join(DIR, "train-labels-idx1-ubyte"))
if CLASS != "all":
    X = X[Y == int(CLASS)]
K = torch.from_numpy(X.astype(np.float32))
D = 784


class MaskedLinear(nn.Linear):
    def __init__(self, i, o, mask):
        super().__init__(i, o)
        self.register_buffer("mask", torch.tensor(mask, dtype=torch.float32))

    def forward(self, x):
        return F.linear(x, self.weight * self.mask, self.bias)


class Made(nn.Module):
    def __init__(self, d, h, reversed_):
        super().__init__()
        deg = np.arange(d, 0, -1) if reversed_ else np.arange(1, d + 1)
        hd = np.arange(h) % (d - 1) + 1
        self.l0 = MaskedLinear(d, h, (hd[:, None] >= deg[None, :]).astype(np.float32))
        out = np.concatenate([deg, deg])
        self.l1 = MaskedLinear(h, 2 * d, (out[:, None] > hd[None, :]).astype(np.float32))
        self.d = d

    def forward(self, x):
        o = self.l1(F.relu(self.l0(x)))
        mu, a = o[:, :self.d], 5 * torch.tanh(o[:, self.d:] / 5)
        return (x - mu) * torch.exp(-a), -a.sum(1)


class FlowBN(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.lg = nn.Parameter(torch.zeros(d))
        self.b = nn.Parameter(torch.zeros(d))
        self.register_buffer("rm", torch.zeros(d))
        self.register_buffer("rv", torch.ones(d))

    def forward(self, x):
        m = x.mean(0)
        v = ((x - m) ** 2).mean(0) + 1e-5
        with torch.no_grad():
            self.rm += 0.1 * (m - self.rm)
            self.rv += 0.1 * (v - 1e-5 - self.rv)
        return (x - m) / v.sqrt() * self.lg.exp() + self.b, (self.lg - 0.5 * v.log()).sum()


class Maf(nn.Module):
    def __init__(self, blocks, h, bn):
        super().__init__()
        self.steps = nn.ModuleList([Made(D, h, b % 2 == 1) for b in range(blocks)])
        self.norms = nn.ModuleList([FlowBN(D) for _ in range(blocks - 1)] if bn else [])

    def forward(self, l):
        x = l.reshape(l.shape[0], D)
        ld = torch.zeros(l.shape[0])
        for b, s in enumerate(self.steps):
            x, d = s(x)
            ld = ld + d
            if b < len(self.norms):
                x, d = self.norms[b](x)
                ld = ld + d
        return x, ld


class Coupling(nn.Module):
    def __init__(self, c, h, w, checker, parity, width):
        super().__init__()
        self.c = c
        last = nn.Conv2d(width, 2 * c, 3, padding=1)
        nn.init.zeros_(last.weight); nn.init.zeros_(last.bias)
        self.net = nn.Sequential(nn.Conv2d(c, width, 3, padding=1), nn.ReLU(), nn.Conv2d(width, width, 1), nn.ReLU(), last)
        ii, jj = np.meshgrid(np.arange(h), np.arange(w), indexing="ij")
        if checker:
            m = np.broadcast_to((ii + jj + parity) % 2, (c, h, w))
        else:
            m = np.zeros((c, h, w)); m[:c // 2] = 1
            if parity: m = 1 - m
        self.register_buffer("mask", torch.tensor(np.array(m), dtype=torch.float32))

    def forward(self, x):
        xb = x * self.mask
        h = self.net(xb)
        s = torch.tanh(h[:, :self.c]) * (1 - self.mask)
        t = h[:, self.c:] * (1 - self.mask)
        return xb + (x - xb) * torch.exp(s) + t, s.reshape(x.shape[0], -1).sum(1)


def squeeze(x):
    n, c, h, w = x.shape
    return x.reshape(n, c, h // 2, 2, w // 2, 2).permute(0, 1, 3, 5, 2, 4).reshape(n, 4 * c, h // 2, w // 2)


class RealNvp(nn.Module):
    def __init__(self, scales=2, k=3, width=64):
        super().__init__()
        c, h, w = 1, 28, 28
        self.stages = nn.ModuleList()
        for _ in range(scales):
            self.stages.append(nn.ModuleList([nn.ModuleList([Coupling(c, h, w, True, i % 2, width) for i in range(k)]),
                                              nn.ModuleList([Coupling(4 * c, h // 2, w // 2, False, i % 2, width) for i in range(k)])]))
            c, h, w = 2 * c, h // 2, w // 2
        self.final = nn.ModuleList([Coupling(c, h, w, True, i % 2, width) for i in range(k + 1)])

    def forward(self, x):
        n = x.shape[0]
        ld = torch.zeros(n)
        parts = []
        for checker, channel in self.stages:
            for cp in checker:
                x, d = cp(x); ld = ld + d
            x = squeeze(x)
            for cp in channel:
                x, d = cp(x); ld = ld + d
            half = x.shape[1] // 2
            parts.append(x[:, :half].reshape(n, -1))
            x = x[:, half:]
        for cp in self.final:
            x, d = cp(x); ld = ld + d
        parts.append(x.reshape(n, -1))
        return torch.cat(parts, 1), ld


make, alpha = {"made": (lambda: Maf(1, 1024, False), 1e-6), "maf": (lambda: Maf(5, 512, True), 1e-6),
               "realnvp": (lambda: RealNvp(), 1e-6)}[MODEL]
net = make()
opt = torch.optim.Adam(net.parameters(), lr=1e-3)
bg = make() if BACKGROUND else None
bg_opt = torch.optim.Adam(bg.parameters(), lr=1e-3) if BACKGROUND else None


def step(model, optimizer, k):
    """One Adam step of model on levels k (n, 1, 28, 28): returns the batch's mean nll in nats (dequantisation included)."""
    y = (k + torch.rand_like(k)) / 256
    sv = alpha + (1 - 2 * alpha) * y
    l = torch.log(sv) - torch.log1p(-sv)
    extra = (D * math.log(256) - (math.log(1 - 2 * alpha) - torch.log(sv) - torch.log1p(-sv)).reshape(len(k), -1).sum(1)).mean()
    z, ld = model(l)
    nll = 0.5 * (z ** 2).sum(1) + 0.5 * D * math.log(2 * math.pi) - ld
    loss = nll.mean() / D
    optimizer.zero_grad(); loss.backward(); optimizer.step()
    return nll.mean().item() + extra.item()


params = sum(p.numel() for p in net.parameters())
print(f"{MODEL}: {params:,} parameters{f' + background model {params:,} (mutation {MUTATION})' if BACKGROUND else ''}, "
      f"{len(K)} images, threads {THREADS}/{BLAS}", flush=True)
with threadpool_limits(limits=BLAS):
    for epoch in range(1, EPOCHS + 1):
        perm = torch.randperm(len(K))
        t0, total, bg_total, count = time.time(), 0.0, 0.0, 0
        for s in range(0, len(K), 128):
            k = K[perm[s:s + 128]]
            total += step(net, opt, k) * len(k); count += len(k)
            if BACKGROUND:
                mutate = torch.rand_like(k) < MUTATION
                k = torch.where(mutate, torch.randint_like(k, 256), k)
                bg_total += step(bg, bg_opt, k) * len(k)
        dt = time.time() - t0
        bg_text = f"  background bits/dim {bg_total / count / (D * math.log(2)):.4f}" if BACKGROUND else ""
        print(f"epoch {epoch}: bits/dim {total / count / (D * math.log(2)):.4f}{bg_text}  {dt:.1f} s  {count / dt:.1f} img/s", flush=True)

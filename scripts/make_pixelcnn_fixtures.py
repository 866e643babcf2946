"""Writes tests/Latent.Tests/Fixtures/Nn/torch_pixelcnn.bin: PyTorch's forward values and gradients of PixelCNN's
masked convolutions (types A and B, one image channel and three colour groups) and of the per-pixel 256-way
cross-entropy, for tests/Latent.Tests/Nn/MaskedConv2dTests.cs and Tensors/ChannelCrossEntropyTests.cs.

Run: /usr/bin/python3 scripts/make_pixelcnn_fixtures.py      (PyTorch 1.13, Debian python3-torch, CPU)

The masks are written here from the paper (van den Oord et al. 2016, sec. 3.4), independently of the C# code:
zero below the centre row and right of the centre, the centre kept for type B and, with G colour groups, the centre
of output group g seeing input groups < g (A) or <= g (B); groups are contiguous channel blocks.
Format: as scripts/make_nn_fixtures.py (magic LTFX, version 1, named float32 tensors).
Gradients are of L = sum(r * out) with the entry "<case>.r" as r.
"""
import os
import ltfx
import numpy as np, torch, torch.nn.functional as F

rng = np.random.default_rng(2016)
entries = []

def put(name, t):
    a = t.detach().clone().numpy() if isinstance(t, torch.Tensor) else np.asarray(t)
    entries.append((name, np.ascontiguousarray(a, dtype=np.float32)))

def rand(*shape, lo=-1.0, hi=1.0):
    return torch.tensor(rng.uniform(lo, hi, size=shape).astype(np.float32))

def mask(f, c, k, kind, groups):
    m = torch.ones(f, c, k, k)
    m[:, :, k // 2, k // 2:] = 0
    m[:, :, k // 2 + 1:, :] = 0
    for o in range(f):
        for i in range(c):
            go, gi = o * groups // f, i * groups // c
            if (kind == "A" and go > gi) or (kind == "B" and go >= gi):
                m[o, i, k // 2, k // 2] = 1
    return m

for name, (n, c, f, k, h, w, kind, groups) in {
    "mconvA1": (2, 1, 4, 5, 6, 7, "A", 1),
    "mconvB1": (2, 4, 3, 3, 5, 6, "B", 1),
    "mconvA3": (2, 3, 6, 3, 5, 4, "A", 3),
    "mconvB3": (1, 6, 6, 3, 4, 5, "B", 3),
}.items():
    x = rand(n, c, h, w).requires_grad_(); W = rand(f, c, k, k).requires_grad_(); b = rand(f).requires_grad_()
    M = mask(f, c, k, kind, groups)
    y = F.conv2d(x, W * M, b, padding=k // 2); r = rand(*y.shape); (y * r).sum().backward()
    for key, v in dict(x=x, W=W, b=b, mask=M, y=y, r=r, dx=x.grad, dW=W.grad, db=b.grad).items(): put(f"{name}.{key}", v)

# per-pixel cross-entropy over 256 levels: logits (N, L, H, W), labels (N, H, W)
z = (rand(2, 256, 3, 4) * 4).requires_grad_(); labels = torch.tensor(rng.integers(0, 256, size=(2, 3, 4)))
nll = F.cross_entropy(z, labels, reduction="none"); r = rand(*nll.shape); (nll * r).sum().backward()
for key, v in dict(z=z, labels=labels.float(), nll=nll, r=r, dz=z.grad).items(): put(f"ce.{key}", v)

out = os.path.join(os.path.dirname(__file__), "..", "tests", "Latent.Tests", "Fixtures", "Nn", "torch_pixelcnn.bin")
ltfx.write(out, entries)
print(f"wrote {len(entries)} entries to {os.path.normpath(out)} (torch {torch.__version__})")

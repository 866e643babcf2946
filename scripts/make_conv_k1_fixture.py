"""Writes tests/Latent.Tests/Fixtures/Conv/torch_conv_k1.bin: PyTorch 1.13 reference values for the 1 x 1 convolution
(stride 1, no padding) that ConvPointwise computes as a GEMM over x as stored, read by
tests/Latent.Tests/Nn/ConvTorchFixtureTests.cs (Conv2dMatchesPyTorch, case "conv2d_k1").

Run: /usr/bin/python3 scripts/make_conv_k1_fixture.py      (Debian python3-torch, CPU)

A file of its own, not a case of scripts/make_conv_fixtures.py: rerunning that script changes entries it already wrote
(its spectral-norm layers are initialised from the global torch stream, and the last bits of others move), so the new
case is kept apart from those stored values.

Case conv2d_k1: x (2, 64, 16, 16), W (5, 64, 1, 1), b (5) (C HW = 16384: one image per GEMM, so the path applies);
y = F.conv2d(x, W, b); the gradients are of L = sum(w * y) with the entry "conv2d_k1.w" as w.
File format (little-endian), the same as scripts/make_conv_fixtures.py:
  magic b"LTFX", u32 version 1, u32 entry count; entry: u16 name length, UTF-8 name, u32 rank, rank x u32 dims, float32 data
"""
import os
import ltfx
import numpy as np, torch, torch.nn.functional as F

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "Latent.Tests", "Fixtures", "Conv", "torch_conv_k1.bin")
rng = np.random.default_rng(14)
entries = []

def put(name, t):
    entries.append((name, np.array(t.detach().numpy() if isinstance(t, torch.Tensor) else t, dtype=np.float32, copy=True)))

def rand(*shape):
    return torch.tensor(rng.uniform(-1.0, 1.0, size=shape).astype(np.float32))

inputs = {"x": rand(2, 64, 16, 16), "W": rand(5, 64, 1, 1), "b": rand(5)}
ts = {k: v.clone().requires_grad_() for k, v in inputs.items()}
y = F.conv2d(ts["x"], ts["W"], ts["b"]); w = rand(*y.shape); (y * w).sum().backward()
for k, v in inputs.items(): put(f"conv2d_k1.{k}", v)
put("conv2d_k1.y", y); put("conv2d_k1.w", w)
for k, v in ts.items(): put(f"conv2d_k1.d{k}", v.grad)

ltfx.write(OUT, entries)
print(f"wrote {OUT}: {len(entries)} entries, {os.path.getsize(OUT)} bytes")

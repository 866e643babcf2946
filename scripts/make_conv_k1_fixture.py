"""Writes tests/Latent.Tests/Fixtures/Conv/torch_conv_k1.bin: PyTorch 1.13 reference values for the 1 x 1 convolution
(stride 1, no padding) that ConvPointwise computes as a GEMM over x as stored, read by
tests/Latent.Tests/Nn/ConvTorchFixtureTests.cs (Conv2dMatchesPyTorch, case "conv2d_k1").

Run: /usr/bin/python3 scripts/make_conv_k1_fixture.py      (Debian python3-torch, CPU)

A file of its own, not a case of scripts/make_conv_fixtures.py: rerunning that script changes entries it already wrote
(its spectral-norm layers are initialised from the global torch stream, and the last bits of others move), so the new
case is kept apart from those stored values.

Case conv2d_k1: x (2, 64, 16, 16), W (5, 64, 1, 1), b (5) (C HW = 16384: one image per GEMM, so the path applies);
y = F.conv2d(x, W, b); the gradients are of L = sum(w * y) with the entry "conv2d_k1.w" as w.
File format (little-endian, scripts/ltfx.py), the same as scripts/make_conv_fixtures.py:
  magic b"LTFX", u32 version 1, u32 entry count; entry: u16 name length, UTF-8 name, u32 rank, rank x u32 dims, float32 data
"""
import os
from torch_fixture import Fixture
import torch.nn.functional as F

fx = Fixture(os.path.join("Conv", "torch_conv_k1.bin"), seed=14)
rand = fx.rand
fx.grads_case("conv2d_k1", lambda x, W, b: F.conv2d(x, W, b), x=rand(2, 64, 16, 16), W=rand(5, 64, 1, 1), b=rand(5))

out = fx.write()
print(f"wrote {out}: {len(fx.entries)} entries, {os.path.getsize(out)} bytes")

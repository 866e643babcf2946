"""Writes tests/Latent.Tests/Fixtures/Conv/torch_conv.bin: PyTorch 1.13 reference values for the convolutional engine,
read by tests/Latent.Tests/Nn/ConvTorchFixtureTests.cs.

Run: /usr/bin/python3 scripts/make_conv_fixtures.py      (Debian python3-torch, CPU; MNIST IDX files in MNIST_DIR,
     default /tmp/mnist/package/data, for the 8 real digits of the ConvVAE step)

Cases (gradients are of L = sum(w * out) with the entry "<case>.w" as w):
  conv2d, conv2d_k4      F.conv2d forward, dx, dW, db (stride 2, odd sizes, no bias)
  convT, convT_k4        F.conv_transpose2d forward and gradients (stride 2, output padding)
  bn2d_train, bn1d_train nn.BatchNorm2d / 1d in training mode: y, updated running stats, gradients
  bn2d_eval              nn.BatchNorm2d in eval mode with given running stats
  sn_conv, sn_convT      torch.nn.utils.spectral_norm on Conv2d / ConvTranspose2d (training mode, one forward):
                         u, v before and after the power iteration, y, gradients of x, weight_orig, bias
  torch.randperm100, torch.randn115x20   PyTorch's random stream after torch.manual_seed(5) (TorchRandom)
  vae                    one training step of the exact ConvVAE of /work/shared/peers/vae_torch.py at batch 8:
                         the initial weights are PyTorch's from torch.manual_seed(0), which the test regenerates
                         bit-exactly (mt19937 + uniform_ as in ATen; this script asserts the replication), so
                         the fixture stores only per-tensor checks of them ("vae.init.<name>": sum, sum of squares,
                         first 4 values). Gradients: "vae.grad.<name>.sample" (up to 1024 evenly spaced entries) and
                         "vae.grad.<name>.stats" (sum, sum of squares, sum of |g|), so the file stays small.

File format (little-endian, scripts/ltfx.py), the same as scripts/make_nn_fixtures.py:
  magic b"LTFX", u32 version 1, u32 entry count; entry: u16 name length, UTF-8 name, u32 rank, rank x u32 dims, float32 data
"""
import math, os
from convvae_torch import ConvVAE
from torch_fixture import Fixture
import numpy as np, torch, torch.nn as nn, torch.nn.functional as F

fx = Fixture(os.path.join("Conv", "torch_conv.bin"), seed=4)
put, rand, grads_case = fx.put, fx.rand, fx.grads_case

grads_case("conv2d", lambda x, W, b: F.conv2d(x, W, b, stride=2, padding=1), x=rand(2, 3, 7, 6), W=rand(4, 3, 3, 3), b=rand(4))
grads_case("conv2d_k4", lambda x, W: F.conv2d(x, W, None, stride=2, padding=1), x=rand(1, 2, 8, 8), W=rand(3, 2, 4, 4))
grads_case("convT", lambda x, W, b: F.conv_transpose2d(x, W, b, stride=2, padding=1, output_padding=1), x=rand(2, 3, 4, 5), W=rand(3, 2, 3, 3), b=rand(2))
grads_case("convT_k4", lambda x, W, b: F.conv_transpose2d(x, W, b, stride=2, padding=1), x=rand(2, 4, 7, 7), W=rand(4, 1, 4, 4), b=rand(1))

def bn_case(name, bn, x, training):
    with torch.no_grad():
        bn.weight.copy_(rand(bn.num_features, lo=0.5, hi=1.5)); bn.bias.copy_(rand(bn.num_features))
        bn.running_mean.copy_(rand(bn.num_features)); bn.running_var.copy_(rand(bn.num_features, lo=0.5, hi=2.0))
    put(f"{name}.gamma", bn.weight); put(f"{name}.beta", bn.bias)
    put(f"{name}.rm0", bn.running_mean); put(f"{name}.rv0", bn.running_var); put(f"{name}.x", x)
    bn.train(training); xg = x.clone().requires_grad_()
    y = bn(xg); w = rand(*y.shape); (y * w).sum().backward()
    put(f"{name}.y", y); put(f"{name}.w", w); put(f"{name}.rm1", bn.running_mean); put(f"{name}.rv1", bn.running_var)
    put(f"{name}.dx", xg.grad); put(f"{name}.dgamma", bn.weight.grad); put(f"{name}.dbeta", bn.bias.grad)

bn_case("bn2d_train", nn.BatchNorm2d(3), rand(4, 3, 5, 5, lo=-2, hi=3), True)
bn_case("bn2d_eval", nn.BatchNorm2d(3), rand(4, 3, 5, 5, lo=-2, hi=3), False)
bn_case("bn1d_train", nn.BatchNorm1d(6), rand(8, 6, lo=-2, hi=3), True)

def sn_case(name, layer, x):
    torch.manual_seed(1)
    m = nn.utils.spectral_norm(layer)
    put(f"{name}.W", m.weight_orig); put(f"{name}.b", m.bias); put(f"{name}.u0", m.weight_u); put(f"{name}.v0", m.weight_v)
    m.train(); xg = x.clone().requires_grad_()
    y = m(xg); w = rand(*y.shape); (y * w).sum().backward()
    put(f"{name}.x", x); put(f"{name}.y", y); put(f"{name}.w", w); put(f"{name}.u1", m.weight_u); put(f"{name}.v1", m.weight_v)
    put(f"{name}.dx", xg.grad); put(f"{name}.dW", m.weight_orig.grad); put(f"{name}.db", m.bias.grad)

sn_case("sn_conv", nn.Conv2d(3, 4, 3, 2, 1), rand(2, 3, 6, 5))
sn_case("sn_convT", nn.ConvTranspose2d(4, 2, 4, 2, 1), rand(2, 4, 3, 3))

# ---- ConvVAE step (exact architecture of vae_torch.py: scripts/convvae_torch.py) ----
torch.manual_seed(0)
model = ConvVAE()

# Check that mt19937(0) + ATen's uniform_ (24 random bits, double arithmetic, float result) reproduces the init,
# which is what the C# test does; numpy's legacy RandomState(0) is the same mt19937 stream.
raw = np.random.RandomState(0).randint(0, 2 ** 32, size=sum(p.numel() for p in model.parameters()), dtype=np.uint64)
pos = 0
for name, p in model.named_parameters():
    fan_in = p.shape[1] * int(np.prod(p.shape[2:])) if p.dim() > 1 else None
    if p.dim() > 1:
        bound = math.sqrt(3.0) * math.sqrt(2.0 / (1 + 5)) / math.sqrt(fan_in); last_fan = fan_in
    else:
        bound = 1 / math.sqrt(last_fan)
    lo, hi = np.float32(-bound), np.float32(bound)
    x = (raw[pos:pos + p.numel()] & ((1 << 24) - 1)).astype(np.float64) * 2.0 ** -24
    mine = (x * np.float64(np.float32(hi - lo)) + np.float64(lo)).astype(np.float32)
    assert np.array_equal(mine, p.detach().numpy().ravel()), f"init replication differs for {name}"
    pos += p.numel()
    flat = p.detach().double().numpy().ravel()
    put(f"vae.init.{name}", np.array([flat.sum(), (flat ** 2).sum(), *flat[:4]]))

def load_threes(n):
    d = os.environ.get("MNIST_DIR", "/tmp/mnist/package/data")
    with open(os.path.join(d, "train-images-idx3-ubyte"), "rb") as f: imgs = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 784)
    with open(os.path.join(d, "train-labels-idx1-ubyte"), "rb") as f: labels = np.frombuffer(f.read(), np.uint8, offset=8)
    return torch.tensor((imgs[labels == 3][:n] / 255.0).astype(np.float32)).view(n, 1, 28, 28)

X = load_threes(8); eps = torch.tensor(fx.rng.standard_normal((8, 20)).astype(np.float32))
put("vae.x", X); put("vae.eps", eps)
h = model.enc(X); mu, lv = h[:, :20], h[:, 20:]
z = mu + torch.exp(0.5 * lv) * eps
logits = model.dec(z)
bce = F.binary_cross_entropy_with_logits(logits, X, reduction="none").flatten(1).sum(1)
kl = 0.5 * (mu ** 2 + lv.exp() - 1 - lv).sum(1)
loss = (bce + kl).mean(); loss.backward()
put("vae.loss", loss.reshape(1)); put("vae.mu", mu); put("vae.logits_sample", logits.flatten()[::97])
for name, p in model.named_parameters():
    g = p.grad.detach().numpy().ravel(); n = g.size; s = min(n, 1024)
    idx = (np.arange(s, dtype=np.int64) * n) // s
    put(f"vae.grad.{name}.sample", g[idx])
    gd = g.astype(np.float64)
    put(f"vae.grad.{name}.stats", np.array([gd.sum(), (gd ** 2).sum(), np.abs(gd).sum()]))

# TorchRandom's stream: randperm and randn (ragged length: the tail redraw) after torch.manual_seed(5)
torch.manual_seed(5)
put("torch.randperm100", torch.randperm(100).float()); put("torch.randn115x20", torch.randn(115, 20))

out = fx.write()
print(f"wrote {out}: {len(fx.entries)} entries, {os.path.getsize(out)} bytes; vae loss {loss.item():.6f}")

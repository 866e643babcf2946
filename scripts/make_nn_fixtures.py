"""Writes tests/Latent.Tests/Fixtures/Nn/torch_reference.bin: forward values and gradients of Linear, each
loss, a few Adam / SGD steps, and three training steps of a small autoencoder-shaped MLP computed by PyTorch, for tests/Latent.Tests/Nn/TorchFixtureTests.cs.

Run: /usr/bin/python3 scripts/make_nn_fixtures.py      (PyTorch 1.13, Debian python3-torch, CPU)

File format (little-endian):
  magic  4 bytes  b"LTFX"
  u32    version (1)
  u32    number of entries
  entry: u16 name length, UTF-8 name, u32 rank, rank x u32 dims, float32 data (row-major)
Gradients are of L = sum(w * out) with the entry "<case>.w" as w, unless stated.
"""
import os
import ltfx
import numpy as np, torch, torch.nn.functional as F

torch.manual_seed(0)
rng = np.random.default_rng(1234)
entries = []

def put(name, t):
    a = t.detach().clone().numpy() if isinstance(t, torch.Tensor) else np.asarray(t)   # clone: parameters change later
    entries.append((name, np.ascontiguousarray(a, dtype=np.float32)))

def rand(*shape, lo=-1.0, hi=1.0):
    return torch.tensor(rng.uniform(lo, hi, size=shape).astype(np.float32))

# Linear: y = x W^T + b
x = rand(4, 5).requires_grad_(); W = rand(3, 5).requires_grad_(); b = rand(3).requires_grad_()
y = F.linear(x, W, b); w = rand(4, 3); (y * w).sum().backward()
for k, v in dict(x=x, W=W, b=b, y=y, w=w, dx=x.grad, dW=W.grad, db=b.grad).items(): put(f"linear.{k}", v)

# Losses: scalar loss value and gradients w.r.t. every input
def loss_case(name, fn, **inputs):
    ts = {k: v.clone().requires_grad_() for k, v in inputs.items()}
    loss = fn(**ts); loss.backward()
    for k, v in inputs.items(): put(f"{name}.{k}", v)
    put(f"{name}.loss", loss.reshape(1))
    for k, v in ts.items(): put(f"{name}.d{k}", v.grad)

p, t = rand(4, 6), rand(4, 6, lo=0.0, hi=1.0)
loss_case("mse_mean", lambda p, t: F.mse_loss(p, t), p=p * 3, t=t)
loss_case("mse_sum", lambda p, t: F.mse_loss(p, t, reduction="sum"), p=p * 3, t=t)
logits = rand(4, 6, lo=-8.0, hi=8.0)
loss_case("bce_mean", lambda x, t: F.binary_cross_entropy_with_logits(x, t), x=logits, t=t)
loss_case("bce_batchmean", lambda x, t: F.binary_cross_entropy_with_logits(x, t, reduction="none").sum(1).mean(), x=logits, t=t)
mu, lv = rand(5, 3), rand(5, 3)
loss_case("kl_batchmean", lambda mu, lv: (0.5 * (mu ** 2 + lv.exp() - 1 - lv).sum(1)).mean(), mu=mu, lv=lv)
xt = rand(5, 3)
loss_case("gnll_mean", lambda x, mu, lv: torch.nn.GaussianNLLLoss(full=True)(mu, x, lv.exp()), x=xt, mu=mu, lv=lv)
ce_logits = rand(5, 4, lo=-3.0, hi=3.0); labels = torch.tensor([0, 3, 1, 1, 2])
put("ce_mean.labels", labels.float())
loss_case("ce_mean", lambda x: F.cross_entropy(x, labels), x=ce_logits)

# Optimisers: 5 steps from p0 with fixed gradients g[s]; params after each step
p0 = rand(7); grads = rand(5, 7)
put("opt.p0", p0); put("opt.grads", grads)
def run(name, make):
    q = p0.clone().requires_grad_(); opt = make([q]); out = []
    for s in range(5):
        opt.zero_grad(); q.grad = grads[s].clone(); opt.step(); out.append(q.detach().clone())
    put(f"{name}.params", torch.stack(out))
run("adam_default", lambda ps: torch.optim.Adam(ps))
run("adam_custom", lambda ps: torch.optim.Adam(ps, lr=2e-4, betas=(0.5, 0.999), weight_decay=0.01))
run("sgd_momentum", lambda ps: torch.optim.SGD(ps, lr=0.1, momentum=0.9, weight_decay=0.001))

# A whole training loop in miniature: MLP 12-8(ReLU)-3-8(ReLU)-12 logits, loss = mean over batch of sum BCE
# with logits (the DenseAE objective), 3 Adam steps (lr 1e-2) on one batch; weights drawn here, losses and
# final weights recorded.
sizes = [12, 8, 3, 8, 12]
layers = [torch.nn.Linear(a, b) for a, b in zip(sizes[:-1], sizes[1:])]
for i, l in enumerate(layers):
    with torch.no_grad():
        l.weight.copy_(rand(*l.weight.shape) * 0.5); l.bias.copy_(rand(*l.bias.shape) * 0.1)
    put(f"mlp.{i}.weight0", l.weight); put(f"mlp.{i}.bias0", l.bias)
mlp = torch.nn.Sequential(layers[0], torch.nn.ReLU(), layers[1], layers[2], torch.nn.ReLU(), layers[3])
xb = rand(6, 12, lo=0.0, hi=1.0); put("mlp.x", xb)
opt = torch.optim.Adam(mlp.parameters(), lr=1e-2); losses = []
for _ in range(3):
    loss = F.binary_cross_entropy_with_logits(mlp(xb), xb, reduction="none").sum(1).mean()
    opt.zero_grad(); loss.backward(); opt.step(); losses.append(loss.item())
put("mlp.losses", torch.tensor(losses))
for i, l in enumerate(layers): put(f"mlp.{i}.weight3", l.weight); put(f"mlp.{i}.bias3", l.bias)

out = os.path.join(os.path.dirname(__file__), "..", "tests", "Latent.Tests", "Fixtures", "Nn", "torch_reference.bin")
ltfx.write(out, entries)
print(f"wrote {len(entries)} entries to {os.path.normpath(out)} (torch {torch.__version__})")

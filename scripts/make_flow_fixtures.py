#!/usr/bin/python3
# PyTorch fixture for RealNVP's affine coupling layer (src/Latent.Models/Flows/AffineCoupling.cs):
#   y = b x + (1 - b) (x exp(s) + t),  (s, t) = net(b x),  s = tanh(raw s) (1 - b),  t = raw t (1 - b)
#   net = conv3x3(C -> W) ReLU conv1x1(W -> W) ReLU conv3x3(W -> 2C), padding 1
# on a checkerboard mask (parity 1) and a channel mask, with random weights; records y, log|det| and the gradients
# of L = sum(y * g) + sum(logdet) with respect to x and every weight, for tests/.../Flows/CouplingFixtureTests.cs.
# Run: /usr/bin/python3 scripts/make_flow_fixtures.py  (writes tests/Latent.Tests/Fixtures/Flows/coupling-*.json)
import json, os
import torch

torch.manual_seed(0)
torch.set_default_dtype(torch.float64)
OUT = os.path.join(os.path.dirname(__file__), "..", "tests", "Latent.Tests", "Fixtures", "Flows")


def make(name, c, h, w, width, checkerboard, parity):
    mask = torch.zeros(c, h, w)
    for ch in range(c):
        for i in range(h):
            for j in range(w):
                mask[ch, i, j] = (i + j + parity) % 2 if checkerboard else float((ch < c // 2) == (parity == 0))
    params = {
        "net.0.weight": torch.randn(width, c, 3, 3) * 0.3, "net.0.bias": torch.randn(width) * 0.3,
        "net.2.weight": torch.randn(width, width, 1, 1) * 0.3, "net.2.bias": torch.randn(width) * 0.3,
        "net.4.weight": torch.randn(2 * c, width, 3, 3) * 0.3, "net.4.bias": torch.randn(2 * c) * 0.3,
    }
    for p in params.values():
        p.requires_grad_(True)
    x = torch.randn(3, c, h, w, requires_grad=True)
    g = torch.randn(3, c, h, w)
    xb = x * mask
    a = torch.relu(torch.nn.functional.conv2d(xb, params["net.0.weight"], params["net.0.bias"], padding=1))
    a = torch.relu(torch.nn.functional.conv2d(a, params["net.2.weight"], params["net.2.bias"]))
    raw = torch.nn.functional.conv2d(a, params["net.4.weight"], params["net.4.bias"], padding=1)
    s = torch.tanh(raw[:, :c]) * (1 - mask)
    t = raw[:, c:] * (1 - mask)
    y = xb + (1 - mask) * (x * torch.exp(s) + t)
    logdet = s.reshape(3, -1).sum(1)
    loss = (y * g).sum() + logdet.sum()
    loss.backward()
    flat = lambda v: [float(f) for f in v.detach().reshape(-1)]
    doc = {
        "shape": [c, h, w], "width": width, "checkerboard": checkerboard, "parity": parity,
        "x": flat(x), "g": flat(g), "y": flat(y), "logdet": flat(logdet), "dx": flat(x.grad),
        "params": {k: flat(v) for k, v in params.items()}, "grads": {k: flat(v.grad) for k, v in params.items()},
    }
    with open(os.path.join(OUT, f"coupling-{name}.json"), "w") as f:
        json.dump(doc, f)


make("checkerboard", 2, 4, 4, 5, True, 1)
make("channel", 4, 3, 3, 5, False, 0)

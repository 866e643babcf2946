"""One LTFX fixture file drawn from PyTorch: its entries, the numpy stream its inputs come from, and the gradient case
the make_conv_* scripts share (scripts/make_conv_fixtures.py, scripts/make_conv_k1_fixture.py).

A gradient case stores its inputs, y = fn(inputs), a weight w (drawn after the inputs, shape of y) and the gradients
of L = sum(w * y): entries "<case>.<input>", "<case>.y", "<case>.w", "<case>.d<input>", in that order.
"""
import os
import ltfx
import numpy as np, torch

FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "Latent.Tests", "Fixtures")


class Fixture:
    def __init__(self, path, seed):
        """path below tests/Latent.Tests/Fixtures; seed of the numpy stream (default_rng) that rand draws from."""
        self.out = os.path.join(FIXTURES, path)
        self.rng = np.random.default_rng(seed)
        self.entries = []

    def put(self, name, t):
        a = t.detach().numpy() if isinstance(t, torch.Tensor) else np.asarray(t)
        self.entries.append((name, np.array(a, dtype=np.float32, copy=True)))  # copy: running stats and u, v change in place later

    def rand(self, *shape, lo=-1.0, hi=1.0):
        return torch.tensor(self.rng.uniform(lo, hi, size=shape).astype(np.float32))

    def grads_case(self, name, fn, **inputs):
        ts = {k: v.clone().requires_grad_() for k, v in inputs.items()}
        y = fn(**ts); w = self.rand(*y.shape); (y * w).sum().backward()
        for k, v in inputs.items(): self.put(f"{name}.{k}", v)
        self.put(f"{name}.y", y); self.put(f"{name}.w", w)
        for k, v in ts.items(): self.put(f"{name}.d{k}", v.grad)

    def write(self):
        """Writes the entries; returns the path written."""
        ltfx.write(self.out, self.entries)
        return self.out

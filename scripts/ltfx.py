"""The LTFX fixture format the C# tests read (tests/Latent.Tests: TorchFixture): shared by the make_*_fixtures scripts.

File format (little-endian): magic b"LTFX", u32 version 1, u32 entry count; entry: u16 name length, UTF-8 name,
u32 rank, rank x u32 dims, float32 data.
"""
import os, struct
import numpy as np


def write(path, entries):
    """Writes [(name, float32 array)] to path (its folder created if missing)."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(b"LTFX"); f.write(struct.pack("<II", 1, len(entries)))
        for name, a in entries:
            a = np.asarray(a)
            nb = name.encode(); f.write(struct.pack("<H", len(nb))); f.write(nb)
            f.write(struct.pack("<I", a.ndim)); f.write(struct.pack(f"<{a.ndim}I", *a.shape)); f.write(a.astype("<f4").tobytes())

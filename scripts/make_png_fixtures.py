"""Writes tests/Latent.Tests/Fixtures/Reporting/png/: PNG files made by independent encoders (Pillow, and a
small Adam7 writer below over Python's zlib) plus the 8-bit pixels our decoder must produce for each.
For every NAME: NAME.png, NAME.raw (expected bytes, (H, W, C) row-major) and a line in index.txt:
"NAME width height format" with format one of Gray8 GrayAlpha8 Rgb8 Rgba8.
Run: /usr/bin/python3 scripts/make_png_fixtures.py"""
import os, struct, zlib
import numpy as np
from PIL import Image

OUT = os.path.join(os.path.dirname(__file__), "..", "tests", "Latent.Tests", "Fixtures", "Reporting", "png")
os.makedirs(OUT, exist_ok=True)
rng = np.random.default_rng(7)
index = []

def emit(name, png_bytes, expected, fmt):
    h, w = expected.shape[:2]
    open(os.path.join(OUT, name + ".png"), "wb").write(png_bytes)
    open(os.path.join(OUT, name + ".raw"), "wb").write(np.ascontiguousarray(expected, np.uint8).tobytes())
    index.append(f"{name} {w} {h} {fmt}")

def pil_bytes(img, **kw):
    import io
    b = io.BytesIO(); img.save(b, format="PNG", **kw); return b.getvalue()

# MNIST-like 28x28 grayscale digit blob, as other tools write it.
yy, xx = np.mgrid[0:28, 0:28]
digit = (255 * np.exp(-(((xx - 14) / 5.0) ** 2 + ((yy - 12) / 7.0) ** 2))).astype(np.uint8)
emit("gray8_mnist_pil", pil_bytes(Image.fromarray(digit, "L")), digit, "Gray8")
# RGB, odd size, Pillow with maximal compression.
rgb = rng.integers(0, 256, (9, 13, 3), dtype=np.uint8)
emit("rgb8_odd_pil", pil_bytes(Image.fromarray(rgb, "RGB"), compress_level=9), rgb, "Rgb8")
# RGBA and LA.
rgba = rng.integers(0, 256, (5, 7, 4), dtype=np.uint8)
emit("rgba8_pil", pil_bytes(Image.fromarray(rgba, "RGBA")), rgba, "Rgba8")
la = rng.integers(0, 256, (6, 3, 2), dtype=np.uint8)
emit("graya8_pil", pil_bytes(Image.fromarray(la, "LA")), la, "GrayAlpha8")
# 1-bit gray: odd width so rows end mid-byte.
bits = rng.integers(0, 2, (5, 11), dtype=np.uint8)
emit("gray1_pil", pil_bytes(Image.fromarray(bits * 255, "L").convert("1")), bits * 255, "Gray8")
# Palette (4-bit because 10 colours) without and with transparency.
pal = rng.integers(0, 256, (10, 3), dtype=np.uint8)
idx = rng.integers(0, 10, (7, 9), dtype=np.uint8)
p = Image.fromarray(idx, "P"); p.putpalette(pal.flatten().tolist())
emit("palette_pil", pil_bytes(p, bits=4), pal[idx], "Rgb8")
alpha = rng.integers(0, 256, 10, dtype=np.uint8)
emit("palette_trns_pil", pil_bytes(p, transparency=bytes(alpha.tolist())), np.dstack([pal[idx], alpha[idx]]), "Rgba8")

# Hand-written writer: 16-bit gray and 16-bit RGB, Adam7-interlaced 8-bit gray, fixed filter per row.
def chunk(t, d):
    return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xFFFFFFFF)

def png(w, h, depth, color, interlace, raw):
    ihdr = struct.pack(">IIBBBBB", w, h, depth, color, 0, 0, interlace)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw, 6)) + chunk(b"IEND", b"")

def up_filtered(rows):  # filter type 2 (Up) on every row
    out, prior = b"", bytes(len(rows[0]))
    for r in rows:
        out += b"\x02" + bytes((a - b) & 255 for a, b in zip(r, prior)); prior = r
    return out

g16 = rng.integers(0, 65536, (4, 5), dtype=np.uint16)
emit("gray16_handmade", png(5, 4, 16, 0, 0, up_filtered([r.astype(">u2").tobytes() for r in g16])),
     ((g16.astype(np.int64) * 255 + 32767) // 65535).astype(np.uint8), "Gray8")
c16 = rng.integers(0, 65536, (3, 4, 3), dtype=np.uint16)
emit("rgb16_handmade", png(4, 3, 16, 2, 0, up_filtered([r.astype(">u2").tobytes() for r in c16])),
     ((c16.astype(np.int64) * 255 + 32767) // 65535).astype(np.uint8), "Rgb8")
ai = rng.integers(0, 256, (11, 10), dtype=np.uint8)
raw = b""
for x0, y0, dx, dy in [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]:
    sub = ai[y0::dy, x0::dx]
    if sub.size: raw += up_filtered([r.tobytes() for r in sub])
emit("gray8_adam7_handmade", png(10, 11, 8, 0, 1, raw), ai, "Gray8")

# Image data split over three IDAT chunks with an ancillary tEXt chunk before them (must be skipped).
rgb2 = rng.integers(0, 256, (6, 5, 3), dtype=np.uint8)
z = zlib.compress(b"".join(b"\x00" + r.tobytes() for r in rgb2), 9)
cut = [0, len(z) // 3, 2 * len(z) // 3, len(z)]
multi = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 5, 6, 8, 2, 0, 0, 0)) + chunk(b"tEXt", b"Comment\x00made by hand")
         + b"".join(chunk(b"IDAT", z[cut[i]:cut[i + 1]]) for i in range(3)) + chunk(b"IEND", b""))
emit("rgb8_split_idat_handmade", multi, rgb2, "Rgb8")

open(os.path.join(OUT, "index.txt"), "w").write("\n".join(index) + "\n")
print("\n".join(index))

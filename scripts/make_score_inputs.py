"""Inputs for the streaming-score benchmark (bench/results/2026-12-06-stream.txt, scripts/bench-stream.sh):
MNIST's 70,000 images (train then test, from the IDX files in $MNIST_DIR, default ~/.cache/latent/mnist) repeated in
order to COUNT images, written as
  OUT/idx-COUNT   one IDX images file (COUNT, 28, 28)
  OUT/png-COUNT/  a folder tree of 8-bit gray PNGs, 1,000 per subfolder (d000/00000000.png ...), written with Pillow
Run: /usr/bin/python3 scripts/make_score_inputs.py OUT 10000 100000"""
import os, struct, sys
import numpy as np
from PIL import Image

def read_idx(path):
    with open(path, "rb") as f:
        ndim = struct.unpack(">I", f.read(4))[0] & 0xFF
        dims = struct.unpack(">" + "I" * ndim, f.read(4 * ndim))
        return np.frombuffer(f.read(), dtype=np.uint8).reshape(dims)

def main():
    out, counts = sys.argv[1], [int(c) for c in sys.argv[2:]]
    src = os.environ.get("MNIST_DIR", os.path.expanduser("~/.cache/latent/mnist"))
    images = np.concatenate([read_idx(os.path.join(src, "train-images-idx3-ubyte")), read_idx(os.path.join(src, "t10k-images-idx3-ubyte"))])
    os.makedirs(out, exist_ok=True)
    for n in counts:
        x = images[np.arange(n) % len(images)]
        idx = os.path.join(out, f"idx-{n}")
        if not os.path.exists(idx):
            with open(idx + ".tmp", "wb") as f:
                f.write(struct.pack(">I", 0x0803) + struct.pack(">III", n, 28, 28))
                f.write(x.tobytes())
            os.replace(idx + ".tmp", idx)
        folder = os.path.join(out, f"png-{n}")
        if os.path.exists(folder):
            continue
        tmp = folder + ".tmp"
        for i in range(n):
            sub = os.path.join(tmp, f"d{i // 1000:03d}")
            if i % 1000 == 0:
                os.makedirs(sub, exist_ok=True)
            Image.fromarray(x[i], mode="L").save(os.path.join(sub, f"{i:08d}.png"))
        os.replace(tmp, folder)
        print(f"wrote {folder} and {idx}", flush=True)

if __name__ == "__main__":
    main()

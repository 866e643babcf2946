"""PyTorch peer of `latent score --score recon` for the ConvVAE (bench/results/2026-12-06-stream.txt, docs/SCALE-OUT.md):
the same network as ../shared/peers/vae_torch.py's ConvVAE (encoder 4 conv + linear to [mu | logvar], decoder linear +
5 transposed convs), its weights read from a Latent checkpoint (enc.net.K / dec.net.K are the nn.Sequential indices),
scoring recon = ||sigmoid(decode(mu)) - x||^2 per image, batched inference in eval mode under torch.no_grad().
Input read as Latent reads it, in batches (memory one batch): an IDX images file (numpy memmap) or a folder tree of
PNGs (depth first, each folder's entries in ordinal order, decoded with Pillow in the main process, as a simple
torch Dataset would). Prints images/s (wall time from the first read to the last score) and peak RSS; with --check
CSV (Latent's `score --format csv` of the same input) it first checks that every score agrees to 1e-4 relative.
Run: THREADS=2 /usr/bin/python3 scripts/peer_score_torch.py --model m.safetensors --input idx-100000 [--batch 256] [--check ours.csv]"""
import argparse, csv, json, os, resource, struct, sys, time
import numpy as np, torch
from convvae_torch import ConvVAE

def read_safetensors(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        base = 8 + n
        out = {}
        for name, v in header.items():
            if name == "__metadata__" or v["dtype"] != "F32":
                continue
            a, b = v["data_offsets"]
            f.seek(base + a)
            out[name] = torch.from_numpy(np.frombuffer(f.read(b - a), dtype="<f4").reshape(v["shape"]).copy())
        return out

def recon(model, x):                                   # (N, 1, 28, 28) -> (N)
    mu = model.enc(x)[:, :model.z]
    return ((torch.sigmoid(model.dec(mu)) - x) ** 2).flatten(1).sum(1)

def png_files(root):
    stack = [(root, sorted(os.listdir(root)), 0)]
    while stack:
        folder, names, i = stack.pop()
        if i == len(names):
            continue
        stack.append((folder, names, i + 1))
        path = os.path.join(folder, names[i])
        if os.path.isdir(path):
            if not os.path.islink(path):
                stack.append((path, sorted(os.listdir(path)), 0))
        elif path.lower().endswith(".png"):
            yield path

def batches(path, batch):
    """(N, 1, 28, 28) float32 batches in [0, 1]."""
    if os.path.isdir(path):
        from PIL import Image
        buf = []
        for f in png_files(path):
            buf.append(np.asarray(Image.open(f).convert("L"), dtype=np.uint8))
            if len(buf) == batch:
                yield torch.from_numpy(np.stack(buf)[:, None].astype(np.float32) / 255.0)
                buf = []
        if buf:
            yield torch.from_numpy(np.stack(buf)[:, None].astype(np.float32) / 255.0)
        return
    with open(path, "rb") as f:
        head = f.read(16)
    n, h, w = struct.unpack(">III", head[4:16])
    data = np.memmap(path, dtype=np.uint8, mode="r", offset=16, shape=(n, 1, h, w))
    for s in range(0, n, batch):
        yield torch.from_numpy(np.asarray(data[s:s + batch], dtype=np.float32) / 255.0)

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True)
    ap.add_argument("--input", required=True)
    ap.add_argument("--batch", type=int, default=256)
    ap.add_argument("--check", help="Latent's CSV of the same input: every recon must agree to 1e-4 relative")
    a = ap.parse_args()
    threads = int(os.environ.get("THREADS", "2"))
    torch.set_num_threads(threads)
    model = ConvVAE()
    w = read_safetensors(a.model)
    model.load_state_dict({k: w[k.replace(".", ".net.", 1)] for k in model.state_dict()})     # enc.0.weight <- enc.net.0.weight
    model.eval()
    if a.check:
        with open(a.check) as f:
            ours = np.array([float(r["recon"]) for r in csv.DictReader(f)])
    scores = []
    t = time.perf_counter()
    with torch.no_grad():
        for x in batches(a.input, a.batch):
            scores.append(recon(model, x).numpy())
    seconds = time.perf_counter() - t
    s = np.concatenate(scores).astype(np.float64)
    if a.check:
        if len(ours) != len(s):
            sys.exit(f"check: {len(ours)} rows in {a.check}, {len(s)} images scored")
        rel = np.abs(s - ours) / np.maximum(np.abs(ours), 1e-12)
        print(f"check: {len(s)} recon scores, max relative difference to Latent {rel.max():.2e} (mean {rel.mean():.2e})")
        if rel.max() > 1e-4:
            sys.exit("check FAILED: more than 1e-4 relative")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"torch {torch.__version__} threads {threads} batch {a.batch}: {len(s)} images in {seconds:.1f} s = {len(s) / seconds:.0f} images/s; peak RSS {rss:.0f} MB")

if __name__ == "__main__":
    main()

#!/usr/bin/env bash
# PixelCNN training throughput, ours against the PyTorch peer of the same network (scripts/pixelcnn_torch.py), one
# after the other in one session on the same images budget (THREADS=2, BLAS_THREADS=1 as issue 14 asks), then the
# ratio. Usage: scripts/bench-pixelcnn.sh [images (default 6400)]   (MNIST_DIR, PEERS_DIR: see bench-env.sh)
set -euo pipefail
images="${1:-6400}"
source "$(dirname "$0")/bench-env.sh"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
dotnet build -c Release "$root/bench/Latent.Bench" >/dev/null
echo "== ours: pixelcnn --images $images --threads 2" >&2
dotnet run -c Release --no-build --project "$root/bench/Latent.Bench" -- pixelcnn --images "$images" --minutes 30 --eval 0 --samples 0 --threads 2 | tee "$tmp/ours" >&2
echo "== peer: scripts/pixelcnn_torch.py IMAGES=$images THREADS=2" >&2
OMP_WAIT_POLICY=PASSIVE OMP_NUM_THREADS=2 OPENBLAS_NUM_THREADS=1 THREADS=2 IMAGES="$images" MINUTES=30 PYTHONWARNINGS=ignore \
  /usr/bin/time -f "  peer process: %e s wall, %M KB max RSS (issue 20)" /usr/bin/python3 "$root/scripts/pixelcnn_torch.py" | tee "$tmp/peer" >&2
ours=$(grep -oP 'trained .*: \K[\d.]+(?= img/s)' "$tmp/ours")
peer=$(grep -oP 'trained .*: \K[\d.]+(?= img/s)' "$tmp/peer")
/usr/bin/python3 -c "import sys; o, p = float(sys.argv[1]), float(sys.argv[2]); print(f'pixelcnn training: ours {o:.1f} img/s, PyTorch {p:.1f} img/s, ratio {o / p:.2f} (target >= 2)')" "$ours" "$peer"

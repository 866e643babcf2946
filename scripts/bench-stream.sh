#!/usr/bin/env bash
# Streaming `latent score` (docs/SCALE-OUT.md, bench/results/2026-12-06-stream.txt), on MNIST images repeated to
# 10,000 and 100,000 (scripts/make_score_inputs.py: a folder tree of PNGs, 1,000 per subfolder, and one IDX file):
#   1. memory: peak RSS (/usr/bin/time -v) of `latent score --score recon --output` for 10,000 and 100,000 images, PNG
#      tree and IDX, with a PCA model (latent 20): cheap to score, so reading, decoding and writing dominate;
#   2. speed: images/s of the ConvVAE's recon score (vae, conv, latent 20, one epoch on class 3) over the 10,000
#      images, ours beside the PyTorch peer's batched inference of the same network and weights
#      (scripts/peer_score_torch.py, THREADS=2, which first checks each of its scores against ours to 1e-4 relative).
# Usage: scripts/bench-stream.sh WORKDIR [latent executable] [speed count]   (SPEED_ONLY=1: part 2 only)
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:?usage: scripts/bench-stream.sh WORKDIR [latent] [count]}
latent=${2:-src/Latent.Cli/bin/Release/net10.0/latent}
speed=${3:-10000}
mkdir -p "$work"
/usr/bin/python3 scripts/make_score_inputs.py "$work" 10000 100000 >&2
pca="$work/pca.safetensors"; vae="$work/convvae.safetensors"
[ -f "$pca" ] || "$latent" train --model pca --latent 20 --dataset mnist --class 3 --out "$pca" >&2
[ -f "$vae" ] || "$latent" train --model vae --dataset mnist --class 3 --latent 20 --epochs 1 --out "$vae" >&2
source scripts/provenance.sh
provenance "scripts/bench-stream.sh (the machine may be shared: compare figures within this file)"
run() {  # label, command...: wall time, peak RSS (MB), and the command's own last lines
  local label=$1; shift
  local t; t=$(mktemp)
  /usr/bin/time -v "$@" >"$t.out" 2>"$t" || { echo "$label: FAILED"; tail -3 "$t"; return 1; }
  local rss wall
  rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2/1024}' "$t")
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$t")
  echo "$label: wall $wall, peak RSS $rss MB | $(tail -2 "$t.out" | paste -sd' ')"
  rm -f "$t" "$t.out"
}
if [ "${SPEED_ONLY:-0}" != 1 ]; then
echo "## memory: pca (latent 20), score recon, batch 256"
for kind in png idx; do
  for n in 10000 100000; do
    run "latent score pca $kind-$n" "$latent" score --model-file "$pca" --input "$work/$kind-$n" --score recon --output "$work/pca-$kind-$n.csv"
  done
done
fi
echo "## speed: ConvVAE recon, batch 256, $speed images"
run "latent score convvae idx-$speed" "$latent" score --model-file "$vae" --input "$work/idx-$speed" --score recon --output "$work/vae-idx-$speed.csv"
run "torch peer convvae idx-$speed" env THREADS=2 /usr/bin/python3 scripts/peer_score_torch.py --model "$vae" --input "$work/idx-$speed" --check "$work/vae-idx-$speed.csv"
run "latent score convvae png-$speed" "$latent" score --model-file "$vae" --input "$work/png-$speed" --score recon --output "$work/vae-png-$speed.csv"

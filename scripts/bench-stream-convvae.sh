#!/usr/bin/env bash
# Streaming `latent score` with the ConvVAE (issue 18, docs/SCALE-OUT.md; bench/results/2026-12-06-onnx2-stream.txt):
# the seed study's conv VAE (latent 20, one epoch on MNIST's 3s), score recon, on MNIST images repeated to 10,000 and
# 100,000 (scripts/make_score_inputs.py: one IDX file and a folder tree of PNGs, 1,000 per subfolder).
#   1. memory: peak RSS (/usr/bin/time -v, independent of the load) of `latent score --score recon --output` for
#      10,000 and 100,000 images, IDX and PNG tree: the 100,000 figure should be within 1.5 x the 10,000 one;
#   2. speed: images/s over the same 10,000 IDX images, ours and the PyTorch peer (scripts/peer_score_torch.py,
#      THREADS=2, which first checks its scores against ours to 1e-4 relative) one after the other, at normal
#      priority, with the CPU time of each (user + sys) and the load before and after: compare within this file.
# Usage: scripts/bench-stream-convvae.sh WORKDIR [latent executable]
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:?usage: scripts/bench-stream-convvae.sh WORKDIR [latent]}
latent=${2:-src/Latent.Cli/bin/Release/net10.0/latent}
mkdir -p "$work"
/usr/bin/python3 scripts/make_score_inputs.py "$work" 10000 100000 >&2
vae="$work/convvae.safetensors"
[ -f "$vae" ] || "$latent" train --model vae --dataset mnist --class 3 --latent 20 --epochs 1 --out "$vae" >&2
source scripts/provenance.sh
provenance "scripts/bench-stream-convvae.sh (the machine may be shared: compare speeds within this file; peak RSS does not depend on the load)"
run() {  # label, command...: wall and CPU time, peak RSS (MB), load before -> after, and the command's own last lines
  local label=$1; shift
  local t before; t=$(mktemp); before=$(cut -d' ' -f1 /proc/loadavg)
  /usr/bin/time -v "$@" >"$t.out" 2>"$t" || { echo "$label: FAILED"; tail -3 "$t"; return 1; }
  local rss wall cpu
  rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2/1024}' "$t")
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$t")
  cpu=$(awk -F': ' '/User time/ {u=$2} /System time/ {s=$2} END {printf "%.1f", u+s}' "$t")
  echo "$label: wall $wall, cpu ${cpu}s, peak RSS $rss MB, load $before -> $(cut -d' ' -f1 /proc/loadavg) | $(tail -2 "$t.out" | paste -sd' ')"
  rm -f "$t" "$t.out"
}
speed() {  # round: ours then the peer on the same 10,000 IDX images
  run "round $1: latent score convvae idx-10000" "$latent" score --model-file "$vae" --input "$work/idx-10000" --score recon --output "$work/vae-idx-10000.csv"
  run "round $1: torch peer convvae idx-10000" env THREADS=2 /usr/bin/python3 scripts/peer_score_torch.py --model "$vae" --input "$work/idx-10000" --check "$work/vae-idx-10000.csv"
}
echo "## memory: ConvVAE (latent 20), score recon, streaming in batches of 256: IDX"
for n in 10000 100000; do
  run "latent score convvae idx-$n" "$latent" score --model-file "$vae" --input "$work/idx-$n" --score recon --output "$work/vae-idx-$n.csv"
done
echo "## speed: ConvVAE recon, 10000 IDX images, ours then the PyTorch peer (batch 256, 2 threads)"
speed 1
echo "## memory: the same over a PNG folder tree"
for n in 10000 100000; do
  run "latent score convvae png-$n" "$latent" score --model-file "$vae" --input "$work/png-$n" --score recon --output "$work/vae-png-$n.csv"
done
echo "## speed, again"
speed 2

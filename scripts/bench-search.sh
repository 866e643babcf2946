#!/usr/bin/env bash
# Latent-search throughput (issue 13): images/s of `latent score --score recon` on a DCGAN checkpoint (gan, latent 20,
# DCGAN shapes) at the default search settings (2 restarts x 100 Adam steps, lr 0.05, pixels only: 202 generator
# passes forward and 200 backward per image), on the first 1,000 MNIST test images (one IDX file). The checkpoint is
# trained 1 epoch on the training 3s (the search's cost does not depend on the weights; --statistics-samples 16 keeps
# the training short). Each round times the whole `latent score` process (start-up and reading included) with
# /usr/bin/time -v: wall seconds, user + sys CPU seconds, images per wall second and per CPU-second, the load average
# before and after. Run it alone (no other job of yours): the machine may still be shared, so read the per-CPU-second
# figure. Usage: scripts/bench-search.sh LOG [WORKDIR] [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
log=${1:?usage: scripts/bench-search.sh LOG [WORKDIR] [ROUNDS]}
work=${2:-/tmp/latent-bench-search}
rounds=${3:-2}
latent=src/Latent.Cli/bin/Release/net10.0/latent
mkdir -p "$work"
model="$work/dcgan-z20.safetensors"; idx="$work/test-1000-images-idx3-ubyte"
[ -f "$model" ] || "$latent" train --model gan --latent 20 --dataset mnist --class 3 --epochs 1 --statistics-samples 16 --out "$model" >&2
/usr/bin/python3 - "$idx" <<'PY'
import os, sys
src = os.path.expanduser("~/.cache/latent/mnist/t10k-images-idx3-ubyte")
with open(src, "rb") as f: head, data = f.read(16), f.read(1000 * 784)
with open(sys.argv[1], "wb") as f: f.write(head[:4] + (1000).to_bytes(4, "big") + head[8:16] + data)
PY
{
  source scripts/provenance.sh
  provenance "scripts/bench-search.sh (the machine may be shared: read the per-CPU-second figure)"
  echo "# model: $model, input: the first 1,000 MNIST test images, settings stored in the model:"
  echo "# latent train --model gan --latent 20 --dataset mnist --class 3 --epochs 1 --statistics-samples 16 (default search 2 restarts x 100 steps, lr 0.05)"
  for r in $(seq 1 "$rounds"); do
    before=$(cut -d' ' -f1-3 /proc/loadavg)
    t=$(mktemp)
    /usr/bin/time -v "$latent" score --model-file "$model" --input "$idx" --score recon --output "$work/scores.csv" > "$t.out" 2> "$t"
    after=$(cut -d' ' -f1-3 /proc/loadavg)
    awk -F': ' -v r="$r" -v before="$before" -v after="$after" '
      /User time/ {u=$2} /System time/ {s=$2} /Maximum resident/ {rss=$2/1024}
      /Elapsed \(wall clock\)/ {n=split($2, p, ":"); w=0; for (i=1;i<=n;i++) w=w*60+p[i]}
      END {printf "round %d: 1000 images, wall %.1f s, cpu %.1f s (user %.1f + sys %.1f), %.1f images/s, %.1f images per cpu-s, peak RSS %.0f MB, load before %s, after %s\n", r, w, u+s, u, s, 1000/w, 1000/(u+s), rss, before, after}' "$t"
    tail -1 "$t.out" | sed 's/^/#   /'
    rm -f "$t" "$t.out"
  done
} | tee "$log"

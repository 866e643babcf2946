#!/usr/bin/env bash
# RealNVP training speed against the PyTorch peer (issue 14, Speed): one epoch on the 6,131 training 3s, ours
# (`latent train --model $model --class 3 --epochs 1 --mutation-rate 0`) and scripts/flows_peer.py (MODEL=realnvp,
# THREADS=2 BLAS_THREADS=1), interleaved ROUNDS times, each under /usr/bin/time: the log keeps both programs' own
# epoch lines (img/s wall) and user + system CPU seconds, so the ratio per CPU-second can be read on a loaded machine.
# With BEFORE_DIR (another build's CLI folder, e.g. main's copied to /tmp), each round runs that build first, then ours,
# then the peer: before and after in the same session and load.
# MODEL=made|maf|realnvp (default realnvp) benches another flow the same way (the peer builds the same network).
# Usage: bash scripts/bench-realnvp.sh LOG [ROUNDS=2] [LATENT_DIR=src/Latent.Cli/bin/Release/net10.0] [BEFORE_DIR]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/scripts/provenance.sh"
model="${MODEL:-realnvp}"; log="$1"; rounds="${2:-2}"; dir="${3:-$root/src/Latent.Cli/bin/Release/net10.0}"; before="${4:-}"
out="$(mktemp -d)"; trap 'rm -rf "$out"' EXIT
{
  provenance "MODEL=$model scripts/bench-realnvp.sh $log $rounds $dir $before"
  for r in $(seq "$rounds"); do
    if [ -n "$before" ]; then
      echo "## round $r before ($before): latent train --model $model --class 3 --epochs 1 --mutation-rate 0   (uptime: $(uptime))"
      /usr/bin/time -f "before round $r: user %U s  sys %S s  wall %e s  peak RSS %M KB" \
        "$before/latent" train --model "$model" --class 3 --epochs 1 --mutation-rate 0 --out "$out/rnvp-before.safetensors" --force 2>&1 | grep -v "^samples"
    fi
    echo "## round $r ours: latent train --model $model --class 3 --epochs 1 --mutation-rate 0   (uptime: $(uptime))"
    /usr/bin/time -f "ours round $r: user %U s  sys %S s  wall %e s  peak RSS %M KB" \
      "$dir/latent" train --model "$model" --class 3 --epochs 1 --mutation-rate 0 --out "$out/rnvp.safetensors" --force 2>&1 | grep -v "^samples"
    echo "## round $r peer: MODEL=$model THREADS=2 BLAS_THREADS=1 /usr/bin/python3 scripts/flows_peer.py   (uptime: $(uptime))"
    MODEL="$model" EPOCHS=1 THREADS=2 BLAS_THREADS=1 OMP_WAIT_POLICY=PASSIVE /usr/bin/time -f "peer round $r: user %U s  sys %S s  wall %e s  peak RSS %M KB" \
      /usr/bin/python3 "$root/scripts/flows_peer.py" 2>&1
  done
  echo "# done $(date -u +%Y-%m-%dT%H:%M:%SZ), load $(cut -d' ' -f1-3 /proc/loadavg)"
} > "$log" 2>&1

#!/usr/bin/env bash
# Sampling speed of the flows (latent sample --count N): made and maf invert one dimension per network pass (D = 784
# passes), realnvp inverts in one pass. Speed does not depend on the weights, so made and maf are trained for one
# epoch on the training 3s without a background model; realnvp uses REALNVP_FILE if given (e.g. the all-digits run),
# else the same one-epoch training. Figures: images per second of wall time and per CPU second (user + sys), and load.
# Usage: scripts/flows-sample-speed.sh [count (64)]   -> results/flows/sample-speed.txt
set -euo pipefail
count="${1:-64}"
root="$(cd "$(dirname "$0")/.." && pwd)"
latent="${LATENT:-$root/src/Latent.Cli/bin/Release/net10.0/latent}"
out="$root/results/flows"; mkdir -p "$out"
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
source "$root/scripts/provenance.sh"
{ provenance "scripts/flows-sample-speed.sh $*"
  for model in made maf realnvp; do
    file="$tmp/$model.safetensors"
    if [ "$model" = realnvp ] && [ -n "${REALNVP_FILE:-}" ]; then file="$REALNVP_FILE"
    else "$latent" train --model "$model" --class 3 --epochs 1 --mutation-rate 0 --out "$file" --force > /dev/null 2>&1; fi
    /usr/bin/time -f "%e %U %S" -o "$tmp/time" "$latent" sample --model-file "$file" --count "$count" --out "$tmp/$model.png" > /dev/null
    read -r wall user sys < "$tmp/time"
    /usr/bin/python3 -c "import sys; n,w,u,s=int(sys.argv[2]),*map(float,sys.argv[3:]); print(f'{sys.argv[1]:<8} {n} images: wall {w:.1f} s ({n/w:.2f} img/s), cpu {u+s:.1f} s ({n/(u+s):.2f} img per cpu-s), load {open(\"/proc/loadavg\").read().split()[0]}')" "$model" "$count" "$wall" "$user" "$sys"
  done
} | tee "$out/sample-speed.txt"

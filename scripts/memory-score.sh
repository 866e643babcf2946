#!/usr/bin/env bash
# Issue 20: peak resident memory (/usr/bin/time -v) of `latent score` as the input grows: it should grow by the input
# itself (4 bytes a pixel as floats, 3 MB per 1,000 MNIST images) and the per-image rows, not by the model's work.
# Usage: bash scripts/memory-score.sh MODEL_FILE SCORES INPUT ...   (SCORES: a --score list, or all)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/scripts/provenance.sh"
model="$1"; scores="$2"; shift 2
provenance "scripts/memory-score.sh $model $scores $*"
latent="${LATENT:-$root/src/Latent.Cli/bin/Release/net10.0/latent}"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
sel=(); [ "$scores" != all ] && sel=(--score "$scores")
for input in "$@"; do
  before="$(cut -d' ' -f1 /proc/loadavg)"
  /usr/bin/time -v "$latent" score --model-file "$model" --input "$input" "${sel[@]}" --output "$work/rows.csv" >"$work/out" 2>"$work/time" \
    || { echo "$input FAILED"; grep -v '^	' "$work/time" | tail -3; continue; }
  rss="$(awk -F': ' '/Maximum resident/ {print $2}' "$work/time")"
  wall="$(awk -F': ' '/Elapsed \(wall/ {print $2}' "$work/time")"
  user="$(awk -F': ' '/User time/ {print $2}' "$work/time")"
  printf '%-48s %6d rows  peak RSS %6.0f MB  wall %s  user %ss  load %s -> %s\n' "$(basename "$input") ($scores)" \
    "$(($(wc -l < "$work/rows.csv") - 1))" "$(echo "$rss / 1024" | bc -l)" "$wall" "$user" "$before" "$(cut -d' ' -f1 /proc/loadavg)"
done

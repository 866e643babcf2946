#!/usr/bin/env bash
# Issue 20: peak resident memory (/usr/bin/time -v, "Maximum resident set size") of `latent train` for each kind on
# MNIST class 3, one process at a time, with the machine's load before and after each run (other jobs share the cores).
# Usage: bash scripts/memory-train.sh EPOCHS KIND[:extra options] ...   e.g. bash scripts/memory-train.sh 2 vae gan:--latent=100
# Prints one line per run: kind, options, epochs, peak RSS (MB), wall time, load before/after.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/scripts/provenance.sh"
epochs="$1"; shift
provenance "scripts/memory-train.sh $epochs $*"
latent="${LATENT:-$root/src/Latent.Cli/bin/Release/net10.0/latent}"   # LATENT: another build (e.g. a copy of the one before a change)
# a copied build may carry a COMMIT file beside it (the commit it was built from): the log names it
[ -n "${LATENT:-}" ] && echo "# build: $latent${LATENT:+ ($(cat "$(dirname "$latent")/COMMIT" 2>/dev/null || echo "commit not recorded"))}"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
for spec in "$@"; do
  kind="${spec%%:*}"; extra=""; [ "$spec" != "$kind" ] && extra="${spec#*:}"; extra="${extra//=/ }"; extra="${extra//,/ }"
  ep="--epochs $epochs"; case "$kind" in pca|gaussian|knn) ep="";; esac   # fitted exactly: no epochs
  before="$(cut -d' ' -f1 /proc/loadavg)"
  # shellcheck disable=SC2086
  /usr/bin/time -v "$latent" train --model "$kind" --class 3 $ep $extra --out "$work/$kind.st" --force \
    >"$work/out" 2>"$work/time" || { echo "$kind FAILED"; grep -v '^	' "$work/time" | tail -3; tail -3 "$work/time"; continue; }
  rss="$(awk -F': ' '/Maximum resident/ {print $2}' "$work/time")"
  wall="$(awk -F': ' '/Elapsed \(wall/ {print $2}' "$work/time")"
  user="$(awk -F': ' '/User time/ {print $2}' "$work/time")"
  printf '%-9s %-22s epochs %d  peak RSS %6.0f MB  wall %s  user %ss  load %s -> %s\n' "$kind" "${extra:--}" "$epochs" \
    "$(echo "$rss / 1024" | bc -l)" "$wall" "$user" "$before" "$(cut -d' ' -f1 /proc/loadavg)"
done

#!/usr/bin/env bash
# Issue 20 item 5: one command timed with two builds, interleaved (A B A B ...), so that the machine's load changes hit
# both alike; prints each run's user CPU seconds, wall time and peak RSS. Usage:
#   bash scripts/memory-speed-pair.sh ROUNDS BUILD_A BUILD_B -- latent-arguments...   (BUILD_*: a folder holding `latent`)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/scripts/provenance.sh"
rounds="$1"; a="$2"; b="$3"; shift 4
provenance "scripts/memory-speed-pair.sh $rounds $a $b -- $*"
t="$(mktemp)"; trap 'rm -f "$t"' EXIT
for r in $(seq "$rounds"); do
  for build in "$a" "$b"; do
    load="$(cut -d' ' -f1 /proc/loadavg)"
    /usr/bin/time -f "%U %S %e %M" -o "$t" "$build/latent" "$@" > /dev/null 2>&1
    read -r user sys wall rss < "$t"
    printf 'round %d  %-28s user %7.2f s  sys %5.2f s  wall %7.1f s  peak RSS %5.0f MB  load %s\n' "$r" "$build" "$user" "$sys" "$wall" "$(echo "$rss / 1024" | bc -l)" "$load"
  done
done

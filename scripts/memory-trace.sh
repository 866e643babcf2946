#!/usr/bin/env bash
# Issue 20: where the memory of `latent train` goes, epoch by epoch. Runs `latent train --model KIND --class 3` with
# LATENT_MEMORY_TRACE set (src/Latent.Models/Training/MemoryTrace.cs: one line per stage of every epoch with the bytes
# allocated, GC.GetGCMemoryInfo's heap, fragmentation, committed bytes and generation sizes, the working set and the
# trainer pool's counters) and prints those lines and the run's peak RSS (/usr/bin/time -v).
# Usage: bash scripts/memory-trace.sh EPOCHS KIND[:extra options] ...   (TRACE=loh: also the large-object allocations of
# each stage by type and size; TRACE=full: a compacting collection before
# each line, reporting the live heap; it changes what it measures, so peak RSS is then not comparable)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/scripts/provenance.sh"
epochs="$1"; shift
provenance "scripts/memory-trace.sh $epochs $* (TRACE=${TRACE:-1})"
latent="${LATENT:-$root/src/Latent.Cli/bin/Release/net10.0/latent}"
[ -n "${LATENT:-}" ] && echo "# build: $latent ($(cat "$(dirname "$latent")/COMMIT" 2>/dev/null || echo "commit not recorded"))"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
for spec in "$@"; do
  kind="${spec%%:*}"; extra=""; [ "$spec" != "$kind" ] && extra="${spec#*:}"; extra="${extra//=/ }"; extra="${extra//,/ }"
  echo "## $kind ${extra:--} epochs $epochs"
  # shellcheck disable=SC2086
  LATENT_MEMORY_TRACE="${TRACE:-1}" /usr/bin/time -v "$latent" train --model "$kind" --class 3 --epochs "$epochs" $extra \
    --out "$work/$kind.st" --force >"$work/out" 2>"$work/err" || { echo "$kind FAILED"; tail -5 "$work/err"; continue; }
  grep "^memtrace" "$work/err" || true
  rss="$(awk -F': ' '/Maximum resident/ {print $2}' "$work/err")"
  user="$(awk -F': ' '/User time/ {print $2}' "$work/err")"
  printf '%-9s peak RSS %6.0f MB  user %ss  load %s\n' "$kind" "$(echo "$rss / 1024" | bc -l)" "$user" "$(cut -d' ' -f1 /proc/loadavg)"
done

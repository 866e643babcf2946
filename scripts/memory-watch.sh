#!/usr/bin/env bash
# Issue 20: the peak resident set (VmHWM) and resident set of running `latent train` processes, every INTERVAL seconds
# (default 30), for runs that a loaded machine leaves unfinished before a deadline: the high-water mark so far is a lower
# bound of the run's peak, and shows whether it still grows. Usage: bash scripts/memory-watch.sh PATTERN [INTERVAL]
# (PATTERN: what pgrep -f matches, e.g. "builds/v2/latent train").
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/scripts/provenance.sh"
provenance "scripts/memory-watch.sh $*"
pattern="$1"; interval="${2:-30}"
while true; do
  for p in $(pgrep -f "$pattern"); do
    [ -r "/proc/$p/status" ] || continue
    args="$(tr '\0' ' ' < "/proc/$p/cmdline" 2>/dev/null | cut -c1-160)"
    case "$args" in *time\ -v*|*memory-watch*) continue;; esac
    hwm="$(awk '/VmHWM/ {print $2}' "/proc/$p/status")"; rss="$(awk '/VmRSS/ {print $2}' "/proc/$p/status")"
    cpu="$(ps -o time= -p "$p" | tr -d ' ')"
    printf '%s pid %s cpu %s  peak RSS so far %5.0f MB  RSS %5.0f MB  load %s  %s\n' "$(date -u +%H:%M:%S)" "$p" "$cpu" \
      "$(echo "$hwm / 1024" | bc -l)" "$(echo "$rss / 1024" | bc -l)" "$(cut -d' ' -f1 /proc/loadavg)" "$args"
  done
  sleep "$interval"
done

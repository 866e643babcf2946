#!/usr/bin/env bash
# Issue 13's per-layer table before and after a change, in one session: `Latent.Bench conv` (every convolution of the
# ConvVAE and the DCGAN, each pass against the GEMM timed just before it) from a build of the base commit and from this
# tree's build, interleaved ROUNDS times (before, after, before, after, ...), into one log with provenance.
#   bash scripts/bench-conv-ab.sh BEFORE_DIR LOG [ROUNDS] [extra conv options, e.g. --cpu-time]
# BEFORE_DIR holds the base commit's bench/Latent.Bench/bin/Release/net10.0 (e.g. /tmp/conv13-before).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/scripts/provenance.sh"
before="$1"; log="$2"; rounds="${3:-2}"; shift 3 || shift $#
after="$root/bench/Latent.Bench/bin/Release/net10.0"
{
  provenance "scripts/bench-conv-ab.sh $before $log $rounds $*"
  for r in $(seq 1 "$rounds"); do
    echo "# round $r: BEFORE ($before), uptime: $(uptime)"
    dotnet "$before/Latent.Bench.dll" conv "$@"
    echo "# round $r: AFTER (this tree), uptime: $(uptime)"
    dotnet "$after/Latent.Bench.dll" conv "$@"
  done
  echo "# done $(date -u +%Y-%m-%dT%H:%M:%SZ), load $(cut -d' ' -f1-3 /proc/loadavg)"
} > "$log" 2>&1

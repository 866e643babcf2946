#!/usr/bin/env bash
# Issue 13's per-layer figure: `Latent.Bench conv` (every convolution of the ConvVAE and the DCGAN, and RealNVP's coupling
# convolutions, each pass against the GEMM timed just before it in the same run; a layer on the direct kernels also
# timed through the lowering it replaces), then the one-thread breakdown of the lowering and of the direct kernels,
# into one log with provenance. Usage: bash scripts/bench-conv-layers.sh LOG [extra conv options, e.g. --cpu-time]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/scripts/provenance.sh"
log="$1"; shift
bench="$root/bench/Latent.Bench/bin/Release/net10.0/Latent.Bench.dll"
{
  provenance "scripts/bench-conv-layers.sh $log $*"
  echo "# uptime: $(uptime)"
  dotnet "$bench" conv --net all "$@"
  echo "# uptime: $(uptime)"
  dotnet "$bench" conv --net realnvp "$@"
  echo "# uptime: $(uptime)"
  dotnet "$bench" conv --breakdown
  echo "# done $(date -u +%Y-%m-%dT%H:%M:%SZ), load $(cut -d' ' -f1-3 /proc/loadavg)"
} > "$log" 2>&1

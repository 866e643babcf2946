#!/usr/bin/env bash
# Every speed figure the issues ask for, ours and the peer's one right after the other on this machine,
# in one session: GEMM vs OpenBLAS, dense AE/VAE training vs PyTorch, ConvVAE/DCGAN training vs PyTorch,
# classical models vs scikit-learn/SciPy. Writes the whole log to bench/results/<UTC date>.txt. Run it
# on a quiet machine (nothing else busy): ratios from a loaded machine mean little.
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p bench/results
out="bench/results/$(date -u +%Y-%m-%dT%H%M).txt"
{
  source scripts/provenance.sh
  provenance "scripts/bench-all.sh"
  echo "# $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
  for b in gemm classical train conv; do
    echo; echo "######## scripts/bench-$b.sh"
    bash "scripts/bench-$b.sh" 2>&1
  done
  echo; echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$out"
echo "written: $out" >&2

#!/usr/bin/env bash
# The ConvVAE pair of issue 13 (target >= 2x): `latent train --model vae --class 3 --epochs 2` from the build in DIR,
# then ../shared/peers/vae_torch.py (ConvVAE only, 2 epochs, no scoring), each under /usr/bin/time (whole-process CPU).
# Usage: bash scripts/bench-vae-pair.sh LOG DIR
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/scripts/provenance.sh"
export MNIST_DIR="${MNIST_DIR:-${LATENT_DATA_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/latent}/mnist}"   # the peers' data (Latent's cache)
log="$1"; dir="$2"
fmt="  process: %U s user + %S s sys, %e s wall, %M KB max RSS"
out="$(mktemp -d)"
{
  provenance "ConvVAE pair: $dir/latent train --model vae --class 3 --epochs 2, then ../shared/peers/vae_torch.py EPOCHS=2 DENSE_EPOCHS=0 EVAL=0 THREADS=2 BLAS_THREADS=1 OMP_WAIT_POLICY=PASSIVE (the build in $dir)"
  echo "== ours ($(uptime))"
  /usr/bin/time -f "$fmt" "$dir/latent" train --model vae --class 3 --epochs 2 --out "$out/vae.safetensors" 2>&1 | grep -v "^samples"
  echo "== peer ($(uptime))"
  (cd "$root/../../shared/peers" 2>/dev/null || cd /work/shared/peers; THREADS=2 BLAS_THREADS=1 OMP_WAIT_POLICY=PASSIVE EPOCHS=2 DENSE_EPOCHS=0 EVAL=0 PYTHONWARNINGS=ignore /usr/bin/time -f "$fmt" /usr/bin/python3 vae_torch.py 2>&1)
  echo "# done $(date -u +%Y-%m-%dT%H:%M:%SZ), load $(cut -d' ' -f1-3 /proc/loadavg)"
} > "$log" 2>&1
rm -rf "$out"

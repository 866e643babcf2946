#!/usr/bin/env bash
# Issue 13's training-speed pairs after the direct convolution kernels, side by side in one session, interleaved ROUNDS
# times, each process under /usr/bin/time (user + sys CPU seconds of the whole process; on a shared machine the ratio
# of images per CPU-second is the figure to compare):
#   dcgan  ours `Latent.Bench train dcgan --epochs E --images I` (the product GanModel in latent train's loop)
#          peer scripts/peer_dcgan_torch.py (../shared/peers/ae_torch.py's G, D and step), EPOCHS=E IMAGES=I
#   vae    ours `Latent.Bench train conv-vae --epochs E` (`latent train --model vae`'s ConvVAE in its loop)
#          peer ../shared/peers/vae_torch.py EPOCHS=E DENSE_EPOCHS=0 EVAL=0 (the same ConvVAE on the 6,131 threes)
# THREADS=2 BLAS_THREADS=1 OMP_WAIT_POLICY=PASSIVE for the peers, --threads 2 for ours.
# Usage: bash scripts/bench-conv2.sh LOG [ROUNDS=2] [DCGAN_EPOCHS=2] [DCGAN_IMAGES=1024] [VAE_EPOCHS=2]
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/scripts/provenance.sh"
export MNIST_DIR="${MNIST_DIR:-${LATENT_DATA_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/latent}/mnist}"   # the peers' data (Latent's cache)
log="$1"; rounds="${2:-2}"; ge="${3:-2}"; gi="${4:-1024}"; ve="${5:-2}"
export THREADS=2 BLAS_THREADS=1 OMP_WAIT_POLICY=PASSIVE PYTHONWARNINGS=ignore
bench="$root/bench/Latent.Bench/bin/Release/net10.0/Latent.Bench.dll"
peers="$root/../../shared/peers"; [ -d "$peers" ] || peers=/work/shared/peers
fmt="  process: %U s user + %S s sys, %e s wall, %M KB max RSS"
{
  provenance "scripts/bench-conv2.sh $* ; THREADS=$THREADS BLAS_THREADS=$BLAS_THREADS OMP_WAIT_POLICY=$OMP_WAIT_POLICY"
  for r in $(seq "$rounds"); do
    echo "== round $r, ours: train dcgan --epochs $ge --images $gi --threads 2 ($(uptime))"
    /usr/bin/time -f "$fmt" dotnet "$bench" train dcgan --epochs "$ge" --images "$gi" --threads 2 2>&1
    echo "== round $r, peer: peer_dcgan_torch.py EPOCHS=$ge IMAGES=$gi ($(uptime))"
    (cd "$root/scripts" && EPOCHS="$ge" IMAGES="$gi" /usr/bin/time -f "$fmt" /usr/bin/python3 peer_dcgan_torch.py 2>&1)
    echo "== round $r, ours: train conv-vae --epochs $ve --threads 2 ($(uptime))"
    /usr/bin/time -f "$fmt" dotnet "$bench" train conv-vae --epochs "$ve" --threads 2 2>&1
    echo "== round $r, peer: vae_torch.py EPOCHS=$ve DENSE_EPOCHS=0 EVAL=0 ($(uptime))"
    (cd "$peers" && EPOCHS="$ve" DENSE_EPOCHS=0 EVAL=0 /usr/bin/time -f "$fmt" /usr/bin/python3 vae_torch.py 2>&1)
  done
  echo "# done $(date -u +%Y-%m-%dT%H:%M:%SZ), load $(cut -d' ' -f1-3 /proc/loadavg)"
} > "$log" 2>&1

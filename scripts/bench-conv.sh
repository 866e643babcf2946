#!/usr/bin/env bash
# Runs our convolutional training benchmarks (conv-vae: the product's `latent train --model vae`; dcgan: the PyTorch
# replica until the GAN family lands) and the PyTorch peers one right after the other on the same machine and
# prints the throughput ratio (the machines are shared and noisy: quote ratios from one run, not lone figures).
#   scripts/bench-conv.sh [epochs]       (default 2; PEERS_DIR and MNIST_DIR as in bench-env.sh)
# The peers need Debian's python3-torch, python3-numpy, python3-threadpoolctl and libopenblas0-pthread, run with
# /usr/bin/python3 and PyTorch's best 2-core setting (THREADS=2 BLAS_THREADS=1).
set -euo pipefail
cd "$(dirname "$0")/.."
EPOCHS="${1:-2}"
source scripts/bench-env.sh
PEERS="$PEERS_DIR"
dotnet build -c Release bench/Latent.Bench >/dev/null
BENCH="dotnet bench/Latent.Bench/bin/Release/net10.0/Latent.Bench.dll"

ours_vae=$($BENCH train conv-vae --epochs "$EPOCHS" --json | tail -1)   # the peer's THREADS setting is ours too: 2
echo "ours  conv-vae: $ours_vae"
peer_out=$(cd "$PEERS" && THREADS=2 BLAS_THREADS=1 EPOCHS="$EPOCHS" DENSE_EPOCHS=0 EVAL=0 /usr/bin/time -f "  peer process: %e s wall, %M KB max RSS (issue 20)" /usr/bin/python3 vae_torch.py)
echo "$peer_out"
peer_vae=$(grep "ConvVAE threads=2: mean epoch" <<<"$peer_out" | sed -E 's/.*, ([0-9.]+) img\/s.*/\1/')

ours_gan=$($BENCH train dcgan --epochs "$EPOCHS" --json | tail -1)
echo "ours  dcgan: $ours_gan"
peer_out=$(cd "$PEERS" && THREADS=2 BLAS_THREADS=1 AE_EPOCHS=1 GAN_EPOCHS="$EPOCHS" /usr/bin/time -f "  peer process: %e s wall, %M KB max RSS (issue 20)" /usr/bin/python3 ae_torch.py)
echo "$peer_out"
peer_gan=$(grep "DCGAN: mean epoch" <<<"$peer_out" | head -1 | sed -E 's/.*-> ([0-9.]+) real img\/s.*/\1/')

ips() { sed -E 's/.*"imagesPerSecond": ([0-9.]+).*/\1/' <<<"$1"; }
printf "%-10s %12s %12s %8s\n" arch "ours img/s" "peer img/s" ratio
for a in vae gan; do
  o=$([ $a = vae ] && ips "$ours_vae" || ips "$ours_gan"); p=$([ $a = vae ] && echo "$peer_vae" || echo "$peer_gan")
  printf "%-10s %12s %12s %8s\n" "$([ $a = vae ] && echo conv-vae || echo dcgan)" "$o" "$p" "$(awk -v o="$o" -v p="$p" 'BEGIN{printf "%.2fx", o/p}')"
done

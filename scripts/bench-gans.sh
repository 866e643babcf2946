#!/usr/bin/env bash
# Issue 13's GAN speed figures, side by side in one session: for dcgan, bigan, infogan and bigan-dense (env ARCHS), ours (`Latent.Bench train
# <arch>`, the product model in `latent train`'s loop, THREADS kernel threads) then the PyTorch peer
# (scripts/peer_dcgan_torch.py = ../shared/peers/ae_torch.py's networks and step, peer_bigan_torch.py,
# peer_infogan_torch.py, peer_bigan_dense_torch.py; THREADS torch threads, BLAS_THREADS OpenBLAS threads), the whole sequence ROUNDS times
# (interleaved). Each process runs under /usr/bin/time (user + sys CPU seconds of the whole process) and reports its own
# wall and CPU seconds per epoch; on a machine shared with other work, images per CPU-second is the figure to compare.
# Usage: scripts/bench-gans.sh LOG [epochs (default 3)] [images (default all 6131)]   env THREADS (2), BLAS_THREADS (1), ROUNDS (2),
#        OMP_WAIT_POLICY (PASSIVE: the peers' best 2-core setting, as scripts/bench-train.sh; the default active policy spins)
set -uo pipefail
log="$1"; epochs="${2:-3}"; images="${3:-6131}"
here="$(cd "$(dirname "$0")" && pwd)"; root="$(dirname "$here")"
export THREADS="${THREADS:-2}" BLAS_THREADS="${BLAS_THREADS:-1}" OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
dotnet build -c Release "$root/bench/Latent.Bench" >/dev/null
source "$root/scripts/provenance.sh"
provenance "scripts/bench-gans.sh $* ; THREADS=$THREADS BLAS_THREADS=$BLAS_THREADS OMP_WAIT_POLICY=$OMP_WAIT_POLICY" > "$log"
for round in $(seq "${ROUNDS:-2}"); do
  for arch in ${ARCHS:-dcgan bigan infogan bigan-dense}; do
    peer=peer_${arch//-/_}_torch.py
    echo "== round $round, ours: train $arch --epochs $epochs --images $images --threads $THREADS (load $(cut -d' ' -f1 /proc/loadavg))" >> "$log"
    /usr/bin/time -f "  process: %U s user + %S s sys, %e s wall, %M KB max RSS" \
      dotnet run -c Release --no-build --project "$root/bench/Latent.Bench" -- train "$arch" --epochs "$epochs" --images "$images" --threads "$THREADS" >> "$log" 2>&1
    echo "== round $round, peer: $peer EPOCHS=$epochs IMAGES=$images (load $(cut -d' ' -f1 /proc/loadavg))" >> "$log"
    (cd "$here" && EPOCHS="$epochs" IMAGES="$images" PYTHONWARNINGS=ignore /usr/bin/time -f "  process: %U s user + %S s sys, %e s wall, %M KB max RSS" \
      /usr/bin/python3 "$peer") >> "$log" 2>&1
  done
done
echo "# done $(date -u)" >> "$log"

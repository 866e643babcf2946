#!/usr/bin/env bash
# Issue 20: peak resident memory (/usr/bin/time -v) of the PyTorch peers of `latent train`, one process at a time, on
# MNIST class 3 (THREADS=2 BLAS_THREADS=1). EPOCHS (default 1) shortens them: a peer's peak is reached in its first
# batches (its caching allocator and the whole MNIST it loads), so one epoch is at most what it needs for two; the
# peers that take IMAGES (the GANs, PixelCNN) train on the first IMAGES (default 1280) threes only, as they allow for a
# loaded machine: they still load all of MNIST, and their step's arrays are the same.
# Usage: bash scripts/memory-peers.sh [NAME ...]   names: vae ae dcgan bigan infogan made maf realnvp pixelcnn, and
# made-bg maf-bg realnvp-bg: the flow with the background model ours trains by default (flows_peer.py BACKGROUND=1)
set -uo pipefail
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/bench-env.sh"
ep="${EPOCHS:-1}"; images="${IMAGES:-1280}"
export THREADS=2 BLAS_THREADS=1
names=("$@"); [ ${#names[@]} -eq 0 ] && names=(vae ae dcgan bigan infogan made maf realnvp pixelcnn)
log="$(mktemp)"; trap 'rm -f "$log"' EXIT
for name in "${names[@]}"; do
  case "$name" in
    vae)      cmd=(env EPOCHS="$ep" DENSE_EPOCHS=0 EVAL=0 /usr/bin/python3 "$PEERS_DIR/vae_torch.py"); what="vae_torch.py ConvVAE (latent 20)";;
    ae)       cmd=(env AE_EPOCHS="$ep" GAN_EPOCHS=0 THREADS=2 /usr/bin/python3 "$PEERS_DIR/ae_torch.py"); what="ae_torch.py DenseAE (latent 20)";;
    dcgan)    cmd=(env EPOCHS="$ep" IMAGES="$images" /usr/bin/python3 "$root/scripts/peer_dcgan_torch.py"); what="peer_dcgan_torch.py IMAGES=$images (latent 100)";;
    bigan)    cmd=(env EPOCHS="$ep" IMAGES="$images" /usr/bin/python3 "$root/scripts/peer_bigan_torch.py"); what="peer_bigan_torch.py IMAGES=$images (latent 100)";;
    infogan)  cmd=(env EPOCHS="$ep" IMAGES="$images" /usr/bin/python3 "$root/scripts/peer_infogan_torch.py"); what="peer_infogan_torch.py IMAGES=$images (latent 62)";;
    made|maf|realnvp) cmd=(env MODEL="$name" EPOCHS="$ep" /usr/bin/python3 "$root/scripts/flows_peer.py"); what="flows_peer.py MODEL=$name";;
    made-bg|maf-bg|realnvp-bg) cmd=(env MODEL="${name%-bg}" BACKGROUND=1 EPOCHS="$ep" /usr/bin/python3 "$root/scripts/flows_peer.py"); what="flows_peer.py MODEL=${name%-bg} BACKGROUND=1";;
    pixelcnn) cmd=(env IMAGES="$images" MINUTES=30 /usr/bin/python3 "$root/scripts/pixelcnn_torch.py"); what="pixelcnn_torch.py IMAGES=$images";;
    *) echo "unknown peer $name" >&2; exit 2;;
  esac
  before="$(cut -d' ' -f1 /proc/loadavg)"
  /usr/bin/time -v "${cmd[@]}" >"$log.out" 2>"$log" || { echo "$name FAILED"; tail -5 "$log.out"; grep -v '^	' "$log" | tail -5; continue; }
  rss="$(awk -F': ' '/Maximum resident/ {print $2}' "$log")"
  wall="$(awk -F': ' '/Elapsed \(wall/ {print $2}' "$log")"
  user="$(awk -F': ' '/User time/ {print $2}' "$log")"
  printf '%-9s %-38s epochs %d  peak RSS %6.0f MB  wall %s  user %ss  load %s -> %s\n' "$name" "$what" "$ep" \
    "$(echo "$rss / 1024" | bc -l)" "$wall" "$user" "$before" "$(cut -d' ' -f1 /proc/loadavg)"
  rm -f "$log.out"
done

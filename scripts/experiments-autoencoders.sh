#!/usr/bin/env bash
# The autoencoder-family experiments of issue 5, for a quiet machine (the lead runs the long ones). Each command
# prints its table on stdout and per-epoch progress on stderr; outputs go to results/autoencoders/ (override
# with OUT=...); each output file starts with the commit and .NET SDK that made it (scripts/provenance.sh). The models
# `latent train` writes (*.safetensors) stay out of git (.gitignore): rerun the step to regenerate them (speed writes
# speed-vae.safetensors). MNIST comes from the cache (`latent data fetch mnist`) or DATASET=<folder of IDX files>.
#   targets: 3 vs 5 balanced error, VAE (beta 1) latent 20 recon <= 5.4 %; AAE latent 10 recon <= 6.8 %;
#            latent-nll much weaker than recon, density-x better than latent-nll, per latent size;
#            one-vs-rest mean AUROC >= 0.975 (LOF 0.973, Deep SVDD 0.948)
#   usage: scripts/experiments-autoencoders.sh [EPOCHS] [step ...]
#   steps: vae variants aae latents ovr speed (default), and long augment ensemble (session 3's VAE runs)
#   EPOCHS defaults to 40 (the 3-vs-5 runs; the latent table uses half). A full run takes hours on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
EPOCHS=${1:-40}; shift || true
STEPS=${*:-vae variants aae latents ovr speed}
OUT=${OUT:-results/autoencoders}
DATASET=${DATASET:-mnist}
mkdir -p "$OUT"
dotnet build -c Release src/Latent.Cli >/dev/null
latent() { dotnet src/Latent.Cli/bin/Release/net10.0/latent.dll "$@" --dataset "$DATASET"; }
source scripts/provenance.sh
# run FILE COMMAND...: the command's stdout into FILE, after the provenance line (commit, SDK, date, load).
run() { local out="$1"; shift; { provenance "$*"; "$@"; } > "$out"; }

for step in $STEPS; do
  case $step in
    vae)      # the seed's ConvVAE (../shared/peers/vae_torch.py), beta 1, latent 20, 3 vs 5, cosine learning rate, four seeds
      for seed in 0 1 2 3; do
        run "$OUT/vae-z20-3v5-seed$seed.txt" latent classmodel --model vae --latent 20 --real 3 --fake 5 --epochs "$EPOCHS" --lr-schedule cosine --seed "$seed" \
          --score recon,combined,latent-nll,density-x
      done ;;
    variants) # the same VAE with a Gaussian (sigma-VAE) decoder, and as a denoising VAE, seeds 0 and 1
      for seed in 0 1; do
        run "$OUT/gvae-z20-3v5-seed$seed.txt" latent classmodel --model vae --latent 20 --real 3 --fake 5 --epochs "$EPOCHS" --lr-schedule cosine --seed "$seed" \
          --likelihood gaussian --score recon,combined,latent-nll,density-x,elbo
        run "$OUT/dvae-z20-3v5-seed$seed.txt" latent classmodel --model vae --latent 20 --real 3 --fake 5 --epochs "$EPOCHS" --lr-schedule cosine --seed "$seed" \
          --denoise 0.3 --score recon,combined,latent-nll,density-x
      done ;;
    aae)      # the seed's AAE, latent 10, 3 vs 5
      run "$OUT/aae-z10-3v5.txt" latent classmodel --model aae --latent 10 --real 3 --fake 5 --epochs "$EPOCHS" --lr-schedule cosine \
        --score recon,combined,latent-nll,jacobian,density-x ;;
    latents)  # recon vs latent-nll vs density-x per latent size (the seed's table), VAE, half the epochs
      run "$OUT/vae-latents-3v5.txt" latent classmodel --model vae --latent 10,16,20,50,100 --real 3 --fake 5 --epochs $((EPOCHS / 2)) --lr-schedule cosine \
        --score recon,combined,latent-nll,jacobian,density-x ;;
    ovr)      # one-vs-rest: train on each digit, test on the whole test set; per-digit AUROC table (dense sigma-VAE)
      for z in 20 32 64; do
        run "$OUT/ovr-dense-gvae-z$z-e120.txt" latent classmodel --model vae --arch dense --latent "$z" --real all --fake rest --epochs 120 --lr-schedule cosine \
          --likelihood gaussian --score recon,combined,latent-nll
      done
      run "$OUT/ovr-conv-gvae-z20-e10.txt" latent classmodel --model vae --latent 20 --real all --fake rest --epochs 10 --lr-schedule cosine --likelihood gaussian \
        --score recon,combined,latent-nll ;;
    speed)    # training speed beside the peer, same machine: ours, then vae_torch.py at its best 2-core setting
      run "$OUT/speed-vae.txt" latent train --model vae --latent 20 --class 3 --epochs 3 --force --out "$OUT/speed-vae.safetensors" --json
      source scripts/bench-env.sh >/dev/null
      { provenance "vae_torch.py EPOCHS=3 THREADS=2 BLAS_THREADS=1 (peer beside the commit above)"
        (cd "$PEERS_DIR" && THREADS=2 BLAS_THREADS=1 EPOCHS=3 DENSE_EPOCHS=0 EVAL=0 /usr/bin/python3 vae_torch.py); } > "$OUT/speed-vae-torch.out" ;;
    long)     # the vae step at 100 epochs, seeds 0 and 1
      for seed in 0 1; do
        run "$OUT/vae-z20-3v5-e100-seed$seed.txt" latent classmodel --model vae --latent 20 --real 3 --fake 5 --epochs 100 --lr-schedule cosine --seed "$seed"
      done ;;
    augment)  # the vae step with random affine augmentation (2 px, 10 degrees, 10 % zoom), 60 epochs, seeds 0 and 1
      for seed in 0 1; do
        run "$OUT/vae-z20-3v5-affine-e60-seed$seed.txt" latent classmodel --model vae --latent 20 --real 3 --fake 5 --epochs 60 --lr-schedule cosine --seed "$seed" --augment affine \
          --score recon,combined,latent-nll,density-x
      done ;;
    ensemble) # ensembles of VAEs (mean score; each member is also scored alone): four at EPOCHS, seeds 0-3 and 4-7;
              # eight at EPOCHS, seeds 0-7; four at 100 epochs, seeds 0-3 and 4-7
      for seed in 0 4; do
        run "$OUT/vae-z20-3v5-ens4-seed$seed.txt" latent classmodel --model vae --latent 20 --real 3 --fake 5 --epochs "$EPOCHS" --lr-schedule cosine --seed "$seed" --ensemble 4 \
          --score recon,combined,latent-nll,density-x
      done
      run "$OUT/vae-z20-3v5-ens8.txt" latent classmodel --model vae --latent 20 --real 3 --fake 5 --epochs "$EPOCHS" --lr-schedule cosine --seed 0 --ensemble 8 \
        --score recon,combined,latent-nll
      for seed in 0 4; do
        run "$OUT/vae-z20-3v5-ens4-e100-seed$seed.txt" latent classmodel --model vae --latent 20 --real 3 --fake 5 --epochs 100 --lr-schedule cosine --seed "$seed" --ensemble 4 \
          --score recon,combined,latent-nll
      done ;;
    *) echo "unknown step $step (vae variants aae latents ovr speed long augment ensemble)" >&2; exit 2 ;;
  esac
done
echo "results in $OUT"

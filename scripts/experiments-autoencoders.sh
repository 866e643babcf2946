#!/usr/bin/env bash
# The autoencoder-family experiments of issue 5, for a quiet machine (the lead runs the long ones). Each command
# prints its table on stdout and per-epoch progress on stderr; outputs go to results/autoencoders/ (override
# with OUT=...). MNIST comes from the cache (`latent data fetch mnist`) or DATASET=<folder of IDX files>.
#   targets: 3 vs 5 balanced error, VAE (beta 1) latent 20 recon <= 5.4 %; AAE latent 10 recon <= 6.8 %;
#            latent-nll much weaker than recon, density-x better than latent-nll, per latent size;
#            one-vs-rest mean AUROC >= 0.975 (LOF 0.973, Deep SVDD 0.948)
#   usage: scripts/experiments-autoencoders.sh [quick|paper] [step ...]   steps: vae aae latents ovr speed
set -euo pipefail
cd "$(dirname "$0")/.."
PRESET=${1:-paper}; shift || true
STEPS=${*:-vae aae latents ovr speed}
OUT=${OUT:-results/autoencoders}
DATASET=${DATASET:-mnist}
mkdir -p "$OUT"
dotnet build -c Release src/Latent.Cli >/dev/null
latent() { dotnet src/Latent.Cli/bin/Release/net10.0/latent.dll "$@"; }

for step in $STEPS; do
  case $step in
    vae)      # the seed's ConvVAE (../shared/peers/vae_torch.py), beta 1, latent 20: every score, 3 vs 5
      latent classmodel --model vae --latent 20 --real 3 --fake 5 --preset "$PRESET" --dataset "$DATASET" --json > "$OUT/vae-z20-3v5.json"
      latent classmodel --model vae --latent 20 --real 3 --fake 5 --preset "$PRESET" --dataset "$DATASET" --beta 4 --score recon,elbo --json > "$OUT/betavae4-z20-3v5.json" ;;
    aae)      # the seed's AAE, latent 10, 3 vs 5
      latent classmodel --model aae --latent 10 --real 3 --fake 5 --preset "$PRESET" --dataset "$DATASET" --json > "$OUT/aae-z10-3v5.json" ;;
    latents)  # recon vs latent-nll vs density-x per latent size, every model (the seed's table)
      for m in ae dae vae aae wae; do
        latent classmodel --model "$m" --latent 10,16,20,50,100 --real 3 --fake 5 --preset "$PRESET" --dataset "$DATASET" \
          --score recon,latent-nll,jacobian,density-x,combined --json > "$OUT/$m-latents-3v5.json"
      done ;;
    ovr)      # one-vs-rest: train on each digit, test on the whole test set; per-digit AUROC table
      for m in vae aae; do
        latent classmodel --model "$m" --latent 20 --real all --fake rest --preset "$PRESET" --dataset "$DATASET" > "$OUT/$m-ovr.txt"
      done ;;
    speed)    # training speed beside the peer, same machine: ours, then vae_torch.py at 2 threads
      latent train --model vae --latent 20 --class 3 --epochs 3 --force --dataset "$DATASET" --out "$OUT/speed-vae.safetensors" --json > "$OUT/speed-vae.json"
      (cd "${PEERS:-../shared/peers}" && THREADS=2 EPOCHS=3 DENSE_EPOCHS=0 EVAL=0 /usr/bin/python3 vae_torch.py) > "$OUT/speed-vae-torch.out" ;;
    *) echo "unknown step $step (vae aae latents ovr speed)" >&2; exit 2 ;;
  esac
done
echo "results in $OUT"

#!/usr/bin/env bash
# Issue 15's figures (docs/EXPLORE.md): models trained on all ten MNIST digits without labels (train --class all,
# dense networks, a few epochs each on the shared 2-core machine), the two judges, then every `latent explore`
# subcommand. Writes logs, JSON documents and the subcommands' folders (PNG, SVG, report.html) to results/explore/.
# Models go to $LATENT_EXPLORE_MODELS (default /tmp/latent-explore-models); a model or judge already there is reused,
# so the script can be rerun after an interruption. Each training runs alone (one heavy job at a time).
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build -c Release src/Latent.Cli >/dev/null
out=results/explore
models=${LATENT_EXPLORE_MODELS:-/tmp/latent-explore-models}
mkdir -p "$out" "$models"
source scripts/provenance.sh
provenance "scripts/experiments-explore.sh (every log in this folder)" > "$out/provenance.txt"
latent() { dotnet src/Latent.Cli/bin/Release/net10.0/latent.dll "$@"; }

train() {   # name, then train options
  local name=$1; shift
  [ -f "$models/$name.safetensors" ] || latent train --arch dense --class all --out "$models/$name.safetensors" "$@" > "$out/train-$name.log" 2>&1
}

# 1. Judges: logistic regression (>= 92 %) twice from the same seed (bit-identical), the CNN (>= 99 %).
if [ ! -f "$models/logreg.safetensors" ]; then
  latent explore judge train --kind logreg --out "$models/logreg.safetensors" > "$out/judge-logreg.log" 2>&1
  latent explore judge train --kind logreg --out "$models/logreg-rerun.safetensors" > "$out/judge-logreg-rerun.log" 2>&1
  sha256sum "$models/logreg.safetensors" "$models/logreg-rerun.safetensors" | sed "s|$models/||" > "$out/judge-logreg-sha256.txt"
fi
# The cnn's settings (conv 32/64, dropout 0.25, random 2 px shifts, lr decay 0.8, 8 epochs) were chosen on a held-out
# tenth of the training split: it trains on the other 54,000 images, and its test accuracy is measured once, afterwards.
if [ ! -f "$models/cnn.safetensors" ]; then
  latent explore judge train --kind cnn --held-out 0.1 --epochs 8 --out "$models/cnn.safetensors" > "$out/judge-cnn.log" 2>&1
  latent explore judge test --judge "$models/cnn.safetensors" --record >> "$out/judge-cnn.log" 2>&1
fi

# 2. Models on all digits.
train vae20 --model vae --latent 20 --epochs 5
train ae20 --model ae --latent 20 --epochs 5
train aae20 --model aae --latent 20 --epochs 2
train dae20 --model dae --latent 20 --denoise 0.5 --epochs 8
train gaussian --model gaussian

# 3. Samples (the step that reads the cnn judge comes first): judge histogram, confidence and MNIST FID of every
#    generator, beside the test-vs-train floor.
latent explore samples --model-file "$models/vae20.safetensors" --model-file "$models/ae20.safetensors" --model-file "$models/aae20.safetensors" \
  --model-file "$models/gaussian.safetensors" --judge "$models/logreg.safetensors" --fid-judge "$models/cnn.safetensors" --count 1000 \
  --out "$out/samples" > "$out/samples.log" 2>&1

# 4. The 45-pair grid (timed), judged; seed 002's move experiment (a 7 along 6 -> 0).
latent explore pairs --model-file "$models/vae20.safetensors" --judge "$models/logreg.safetensors" --out "$out/pairs-vae20" > "$out/pairs-vae20.log" 2>&1
latent explore pairs --model-file "$models/vae20.safetensors" --judge "$models/logreg.safetensors" --out "$out/pairs-vae20" --json > "$out/pairs-vae20.json"
latent explore move --model-file "$models/vae20.safetensors" --judge "$models/logreg.safetensors" --from 6 --to 0 --image-class 7 --alpha=-2:2:9 \
  --out "$out/move-vae20" > "$out/move-vae20.log" 2>&1

# 5. 2-D maps, AE and VAE side by side: seed 003's dense 784-512-2-512-784.
train vae2 --model vae --latent 2 --dense-widths 512 --epochs 3
train ae2 --model ae --latent 2 --dense-widths 512 --epochs 3
latent explore map --model-file "$models/ae2.safetensors" --model-file "$models/vae2.safetensors" --out "$out/map" > "$out/map.log" 2>&1

# 6. Denoising, Gaussian and salt-and-pepper noise, DAE and VAE.
latent explore denoise --model-file "$models/dae20.safetensors" --model-file "$models/vae20.safetensors" --levels 0.1,0.3,0.5,0.7 \
  --out "$out/denoise-gaussian" > "$out/denoise-gaussian.log" 2>&1
latent explore denoise --model-file "$models/dae20.safetensors" --model-file "$models/vae20.safetensors" --noise salt-pepper --levels 0.05,0.1,0.2,0.3 \
  --out "$out/denoise-saltpepper" > "$out/denoise-saltpepper.log" 2>&1

tail -n +1 "$out"/*.log | grep -E "accuracy|grid|judged|PSNR|FID|floor|^ *[0-9.]+ |vae|ae|aae|gaussian" || true

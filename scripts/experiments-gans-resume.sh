#!/usr/bin/env bash
# One GAN-family model trained on MNIST's 3s in stages (issue 13): trains `latent train --dataset mnist --class 3 ARGS
# --epochs E` into a kept model file (or continues it with --resume up to E epochs), then scores the test 3s and 5s
# (`latent score`, the classmodel protocol's images) with each listed score and prints the balanced error at the optimal
# threshold and AUROC (scripts/gan_balanced_error.py). Run it again with a larger E to continue the same model: each
# stage is appended to results/gans/NAME.txt with its provenance line. The build is copied at the first stage.
# Usage: scripts/experiments-gans-resume.sh NAME EPOCHS "TRAIN ARGS" SCORES
#   e.g. scripts/experiments-gans-resume.sh bigan-dense "100" "--model bigan --latent 100 --arch dense" recon,latent-nll
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/provenance.sh
name=$1; epochs=$2; train=$3; scores=$4
bin=/tmp/latent-gans-resume-$name; work=/tmp/latent-gans-resume-$name-files
mkdir -p "$work"
[ -d "$bin" ] || cp -r src/Latent.Cli/bin/Release/net10.0 "$bin"
out=results/gans/$name.txt
model=$work/model.safetensors
{
  provenance "scripts/experiments-gans-resume.sh $name $epochs"
  resume=""; [ -f "$model" ] && resume="--resume"
  echo "# latent train --dataset mnist --class 3 $train --epochs $epochs $resume --out model.safetensors"
  /usr/bin/time -f "train: %U s user, %S s system, %e s wall, %M KB peak" dotnet "$bin/latent.dll" train --dataset mnist --class 3 $train \
    --epochs "$epochs" $resume --out "$model" 2>&1
  for c in 3 5; do
    /usr/bin/time -f "score mnist:$c: %U s user, %e s wall" dotnet "$bin/latent.dll" score --model-file "$model" --input "mnist:$c" \
      --score "$scores" --format csv --output "$work/e$epochs.$c.csv" 2>&1
  done
  for s in ${scores//,/ }; do
    echo "epoch $epochs $s: $(python3 scripts/gan_balanced_error.py "$work/e$epochs.3.csv" "$work/e$epochs.5.csv" "$s")"
  done
} >> "$out" 2>&1
echo "done: $out"

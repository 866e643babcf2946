#!/usr/bin/env bash
# One trained gan (or infogan) generator scored under several latent searches (issue 13's recon target): trains the
# model once on MNIST's 3s (`latent train ... --class 3`, the classmodel protocol's training images) unless its file
# exists, then for each setting "RESTARTS STEPS LR FEATURE_WEIGHT [PRIOR_WEIGHT]" (--search-prior-weight) writes a copy of the checkpoint with that search
# (scripts/gan_search_options.py), scores the test 3s and 5s (`latent score --score recon`) and prints the balanced
# error at the optimal threshold and AUROC (scripts/gan_balanced_error.py, the classmodel protocol's figures) with the
# scoring's CPU seconds. Log: results/gans/sweep/NAME.txt. The build is copied first.
# Usage: scripts/gan-search-sweep.sh NAME "TRAIN ARGS" "R S LR FW [BETA]" ...
#   e.g. scripts/gan-search-sweep.sh gan-z20-e20 "--model gan --latent 20 --epochs 20" "1 150 0.05 0" "4 150 0.05 0"
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/provenance.sh
name=$1; train=$2; shift 2
bin=/tmp/latent-gan-sweep-$name; work=/tmp/latent-gan-sweep-$name-files
mkdir -p results/gans/sweep "$work"
[ -d "$bin" ] || cp -r src/Latent.Cli/bin/Release/net10.0 "$bin"
out=results/gans/sweep/$name.txt
model=$work/model.safetensors
{
  provenance "scripts/gan-search-sweep.sh $name"
  if [ ! -f "$model" ]; then
    echo "# latent train --dataset mnist --class 3 $train --out model.safetensors"
    /usr/bin/time -f "train: %U s user, %S s system, %e s wall" dotnet "$bin/latent.dll" train --dataset mnist --class 3 $train --out "$model" 2>&1
  fi
  for setting in "$@"; do
    read -r r s lr fw beta <<< "$setting"
    beta=${beta:-0}
    tag=r$r-s$s-lr$lr-fw$fw${beta/#/-b}
    m=$work/$tag.safetensors
    python3 scripts/gan_search_options.py "$model" "$m" "$r" "$s" "$lr" "$fw" "$beta"
    for c in 3 5; do
      /usr/bin/time -f "score mnist:$c: %U s user, %e s wall" dotnet "$bin/latent.dll" score --model-file "$m" --input "mnist:$c" \
        --score recon --format csv --output "$work/$tag.$c.csv" 2>&1
    done
    echo "search $r restarts x $s steps, lr $lr, feature weight $fw, prior weight $beta: $(python3 scripts/gan_balanced_error.py "$work/$tag.3.csv" "$work/$tag.5.csv" recon)"
  done
} >> "$out" 2>&1
echo "done: $out"

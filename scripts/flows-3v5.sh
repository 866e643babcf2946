#!/usr/bin/env bash
# MNIST 3 vs 5 (the seed's protocol) for an exact-likelihood model: trained on the training 3s (with the background
# model of the likelihood ratio), the four density scores on the test 3s (real) against the test 5s (fake).
# Usage: scripts/flows-3v5.sh [model (maf)] [epochs (8)] [extra latent options...]
#   -> results/flows/classmodel-<model>-3v5-e<epochs>.{json,txt} (pixelcnn: results/pixelcnn/)
set -euo pipefail
model="${1:-maf}"; epochs="${2:-8}"; shift 2 || true
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$root/results/flows"; [ "$model" = pixelcnn ] && out="$root/results/pixelcnn"
tag="classmodel-$model-3v5-e$epochs"
cmd=(classmodel --model "$model" --real 3 --fake 5 --epochs "$epochs" "$@")
# the run, its log and its provenance line (scripts/provenance.sh): scripts/flows-classmodel-run.sh
exec bash "$root/scripts/flows-classmodel-run.sh" "$out" "$tag" "scripts/flows-3v5.sh $model $epochs $*" "${cmd[@]}"

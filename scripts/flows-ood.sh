#!/usr/bin/env bash
# The known failure of likelihoods (Nalisnick et al. 2019) and its fixes, through `latent classmodel`'s cross-dataset
# protocol: a model trained on every Fashion-MNIST training image scores Fashion-MNIST test images (real, in) against
# MNIST test images (fake, out); AUROC, balanced error [95% interval] and threshold of each density score (nll,
# likelihood-ratio, typicality, complexity). The background model of the likelihood ratio (Ren et al. 2019) is
# trained on mutated images at the given rate with the given L2 penalty.
# Usage: scripts/flows-ood.sh [model (realnvp)] [epochs (5)] [mutation rate (0.2)] [background L2 (0)]
#   -> results/flows/ood-<model>[-r<rate>-l2<l2>].txt and .json (pixelcnn: results/pixelcnn/)
set -euo pipefail
model="${1:-realnvp}"; epochs="${2:-5}"; rate="${3:-0.2}"; l2="${4:-0}"
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$root/results/flows"; [ "$model" = pixelcnn ] && out="$root/results/pixelcnn"
tag="ood-$model-e$epochs-r$rate-l2$l2"
cmd=(classmodel --dataset fashion-mnist --real all-classes --fake mnist:all --model "$model" --epochs "$epochs" --mutation-rate "$rate" --background-l2 "$l2")
# the run, its log and its provenance line (scripts/provenance.sh): scripts/flows-classmodel-run.sh
exec bash "$root/scripts/flows-classmodel-run.sh" "$out" "$tag" "scripts/flows-ood.sh $*" "${cmd[@]}"

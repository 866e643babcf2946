#!/usr/bin/env bash
# The known failure of likelihoods (Nalisnick et al. 2019) and its fixes: a flow trained on every Fashion-MNIST
# training image scores Fashion-MNIST test images (in) against MNIST test images (out); the AUROC of each density
# score (nll, likelihood-ratio, typicality, complexity) is printed by scripts/flows_auroc.py.
# Usage: scripts/flows-ood.sh [model (realnvp)] [epochs (5)] [mutation rate (0.2)]   -> results/flows/ood-<model>.txt
set -euo pipefail
model="${1:-realnvp}"; epochs="${2:-5}"; rate="${3:-0.2}"
root="$(cd "$(dirname "$0")/.." && pwd)"
latent="$root/src/Latent.Cli/bin/Release/net10.0/latent"
out="$root/results/flows"; mkdir -p "$out"
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
cache="${LATENT_DATA:-$HOME/.cache/latent}"
"$latent" data fetch fashion-mnist >&2
"$latent" train --dataset fashion-mnist --class all --model "$model" --epochs "$epochs" --mutation-rate "$rate" --out "$tmp/m.safetensors" --force >&2
fashion="$(find "$cache/fashion-mnist" -name 't10k-images-idx3-ubyte*' | head -1)"
"$latent" score --model-file "$tmp/m.safetensors" --input "$fashion" --json > "$tmp/in.json"
"$latent" score --model-file "$tmp/m.safetensors" --input "$cache/mnist/t10k-images-idx3-ubyte" --json > "$tmp/out.json"
source "$root/scripts/provenance.sh"
{ provenance "scripts/flows-ood.sh $*"; echo "$model, $epochs epochs on Fashion-MNIST train, mutation rate $rate: Fashion-MNIST test (in) vs MNIST test (out)"
  /usr/bin/python3 "$root/scripts/flows_auroc.py" "$tmp/in.json" "$tmp/out.json"; } | tee "$out/ood-$model.txt"

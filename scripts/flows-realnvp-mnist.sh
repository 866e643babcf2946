#!/usr/bin/env bash
# RealNVP on all 60,000 MNIST training digits (issue 14's "at most 1.4 bits/dim within about an hour of CPU"), then its
# bits/dim on the 10,000 MNIST test images (mean of `latent score --score nll --json`, the dequantised bound with the
# fixed draw u*). CPU time from /usr/bin/time -v. The checkpoint is written after every epoch, so each epoch is scored.
# Usage: scripts/flows-realnvp-mnist.sh [epochs (5)] [batch (64)] [lr (1e-3)] [width (64)] [schedule (cosine)] [alpha]
#   LATENT=path/to/latent (default: the Release build); RESUME=1 continues MODEL_FILE's training up to [epochs] (the
#   cosine schedule restarts over the new total)   -> results/flows/realnvp-all-e<epochs>[-a<alpha>]-{train,test}.txt
#   alpha: the logit transform's (--flow-alpha; default the model's)
set -euo pipefail
epochs="${1:-5}"; batch="${2:-64}"; lr="${3:-1e-3}"; width="${4:-64}"; schedule="${5:-cosine}"; alpha="${6:-}"
tag="e$epochs${alpha:+-a$alpha}"; alphaopt=(); [ -n "$alpha" ] && alphaopt=(--flow-alpha "$alpha")
root="$(cd "$(dirname "$0")/.." && pwd)"
latent="${LATENT:-$root/src/Latent.Cli/bin/Release/net10.0/latent}"
out="$root/results/flows"; mkdir -p "$out"
model="${MODEL_FILE:-/tmp/flows2-realnvp-all.safetensors}"
cache="${LATENT_DATA:-$HOME/.cache/latent}"
source "$root/scripts/provenance.sh"
start=--force; [ "${RESUME:-0}" = 1 ] && start=--resume
json="$(mktemp)"; trap 'rm -f "$json"' EXIT
{ provenance "scripts/flows-realnvp-mnist.sh $*"
  echo "realnvp on all MNIST training digits: $epochs epochs, batch $batch, lr $lr ($schedule), width $width, alpha ${alpha:-default}, no background model"
  /usr/bin/time -v "$latent" train --model realnvp --class all --epochs "$epochs" --batch-size "$batch" --lr "$lr" \
    --lr-schedule "$schedule" --flow-width "$width" "${alphaopt[@]}" --mutation-rate 0 --out "$model" "$start" 2>&1
} > "$out/realnvp-all-$tag-train.txt" 2>&1
{ provenance "scripts/flows-realnvp-mnist.sh $* (MNIST test bits/dim)"
  /usr/bin/time -v "$latent" score --model-file "$model" --input "$cache/mnist/t10k-images-idx3-ubyte" --score nll --json > "$json"
  /usr/bin/python3 -c 'import json,sys; v=[s["nll"] for s in json.load(open(sys.argv[1]))["samples"]]; print(f"realnvp, all digits: MNIST test nll {sum(v)/len(v):.4f} bits/dim over {len(v)} images")' "$json"
} > "$out/realnvp-all-$tag-test.txt" 2>&1

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
latent="${LATENT:-$root/src/Latent.Cli/bin/Release/net10.0/latent}"
out="$root/results/flows"; [ "$model" = pixelcnn ] && out="$root/results/pixelcnn"; mkdir -p "$out"
tag="ood-$model-e$epochs-r$rate-l2$l2"
source "$root/scripts/provenance.sh"
cmd=(classmodel --dataset fashion-mnist --real all-classes --fake mnist:all --model "$model" --epochs "$epochs" --mutation-rate "$rate" --background-l2 "$l2")
{ provenance "scripts/flows-ood.sh $*"
  echo "latent ${cmd[*]} --json"
  /usr/bin/time -v "$latent" "${cmd[@]}" --json > "$out/$tag.json" 2> "$out/$tag.err" || { cat "$out/$tag.err"; exit 1; }
  grep -E "Elapsed|User time|System time|Maximum resident" "$out/$tag.err"
  /usr/bin/python3 - "$out/$tag.json" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
print(f"{'score':<18}{'AUROC':>8}{'bal.err':>9}  95% interval     threshold")
for r in doc["results"]:
    print(f"{r['score']:<18}{r['auroc']:>8.4f}{r['balancedError']:>9.4f}  [{r['balancedErrorLow']:.4f}, {r['balancedErrorHigh']:.4f}]  {r['threshold']:.4g}")
PY
} > "$out/$tag.txt" 2>&1
rm -f "$out/$tag.err"
cat "$out/$tag.txt"

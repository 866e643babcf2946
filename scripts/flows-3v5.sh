#!/usr/bin/env bash
# MNIST 3 vs 5 (the seed's protocol) for an exact-likelihood model: trained on the training 3s (with the background
# model of the likelihood ratio), the four density scores on the test 3s (real) against the test 5s (fake).
# Usage: scripts/flows-3v5.sh [model (maf)] [epochs (8)] [extra latent options...]
#   -> results/flows/classmodel-<model>-3v5-e<epochs>.{json,txt} (pixelcnn: results/pixelcnn/)
set -euo pipefail
model="${1:-maf}"; epochs="${2:-8}"; shift 2 || true
root="$(cd "$(dirname "$0")/.." && pwd)"
latent="${LATENT:-$root/src/Latent.Cli/bin/Release/net10.0/latent}"
out="$root/results/flows"; [ "$model" = pixelcnn ] && out="$root/results/pixelcnn"; mkdir -p "$out"
tag="classmodel-$model-3v5-e$epochs"
source "$root/scripts/provenance.sh"
cmd=(classmodel --model "$model" --real 3 --fake 5 --epochs "$epochs" "$@")
{ provenance "scripts/flows-3v5.sh $model $epochs $*"
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

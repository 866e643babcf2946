#!/usr/bin/env bash
# The run shared by scripts/flows-3v5.sh and scripts/flows-ood.sh: one `latent classmodel ... --json` under
# /usr/bin/time, its JSON kept, and a log with the provenance line, the command, the time and memory, and a table of
# AUROC, balanced error [95% interval] and threshold per score.
# Usage: scripts/flows-classmodel-run.sh OUT_DIR TAG "PROVENANCE LINE" classmodel-arguments...
#   -> OUT_DIR/TAG.json and OUT_DIR/TAG.txt (printed too)
set -euo pipefail
out="$1"; tag="$2"; line="$3"; shift 3
root="$(cd "$(dirname "$0")/.." && pwd)"
latent="${LATENT:-$root/src/Latent.Cli/bin/Release/net10.0/latent}"
mkdir -p "$out"
source "$root/scripts/provenance.sh"
{ provenance "$line"
  echo "latent $* --json"
  /usr/bin/time -v "$latent" "$@" --json > "$out/$tag.json" 2> "$out/$tag.err" || { cat "$out/$tag.err"; exit 1; }
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

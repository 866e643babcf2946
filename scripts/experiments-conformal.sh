#!/usr/bin/env bash
# Conformal thresholds on MNIST, one-vs-rest for every digit: PCA (k = 16) fitted on 80 % of the digit's training
# images, the other 20 % (--calibration 0.2) calibrate the threshold of the `recon` score; for alpha in
# {0.01, 0.05, 0.10} the false-alarm rate on that digit's test images and the detection rate on the other digits'
# test images at the marginal conformal threshold and at the calibration-conditional one (delta = 0.1).
# Writes results/conformal/pca-alpha<A>.json (the raw `latent classmodel --json` documents) and prints the
# Markdown table of results/conformal/README.md. Takes about a minute on 2 cores (no training).
# MODEL=vae: the same with the conv VAE (latent 20, EPOCHS epochs, default 1, score combined) trained on the 80 %;
# ALPHAS (default "0.01 0.05 0.10") limits the levels (each level trains the ten VAEs again: about 12 minutes per
# level for EPOCHS=1 on 2 shared cores). Files: results/conformal/<model>-alpha<A>.json.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build -c Release src/Latent.Cli >/dev/null
out=results/conformal
model=${MODEL:-pca}
alphas=${ALPHAS:-0.01 0.05 0.10}
mkdir -p "$out"
for a in $alphas; do
  if [ "$model" = vae ]; then
    dotnet src/Latent.Cli/bin/Release/net10.0/latent.dll classmodel --model vae --latent 20 --epochs "${EPOCHS:-1}" --score combined \
      --real all --fake rest --calibration 0.2 --alpha "$a" --delta 0.1 --json > "$out/vae-alpha$a.json"
  else
    dotnet src/Latent.Cli/bin/Release/net10.0/latent.dll classmodel --model pca --latent 16 --score recon --real all --fake rest \
      --calibration 0.2 --alpha "$a" --delta 0.1 --json > "$out/pca-alpha$a.json"
  fi
done
source scripts/provenance.sh
provenance "scripts/experiments-conformal.sh MODEL=$model ALPHAS=$alphas"
python3 - "$out" "$model" $alphas <<'PY'
import json, sys, os
out, model, alphas = sys.argv[1], sys.argv[2], sys.argv[3:]
print("| digit | alpha | n cal | FAR % (marginal) | detect % (marginal) | FAR % (conditional, delta 0.1) | detect % (conditional) | FAR <= alpha + 0.02 | cond. FAR <= alpha |")
print("|---|---|---|---|---|---|---|---|---|")
marg_ok = cond_ok = cells = 0
for a in alphas:
    doc = json.load(open(os.path.join(out, f"{model}-alpha{a}.json")))
    for r in doc["results"]:
        c = r["conformal"]; al = c["alpha"]
        m = c["falseAlarmRate"] <= al + 0.02; k = c["conditionalFalseAlarmRate"] <= al
        marg_ok += m; cond_ok += k; cells += 1
        print(f'| {r["real"]} | {al:.2f} | {c["calibrationCount"]} | {100*c["falseAlarmRate"]:.2f} | {100*c["detectionRate"]:.2f} | '
              f'{100*c["conditionalFalseAlarmRate"]:.2f} | {100*c["conditionalDetectionRate"]:.2f} | {"yes" if m else "**no**"} | {"yes" if k else "no"} |')
print(f"\nmarginal: FAR <= alpha + 0.02 in {marg_ok}/{cells} cells; conditional: FAR <= alpha in {cond_ok}/{cells} cells ({100*cond_ok/cells:.0f} %).")
PY

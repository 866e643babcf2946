#!/usr/bin/env bash
# Issue 13's table: gan, bigan and infogan at latent 10, 20, 50 and 100 on MNIST 3 vs 5, one `latent classmodel` run per
# (model, latent) so that each row's log is complete on its own: results/gans/table/<model>-z<latent>.txt (the command,
# the commit, the per-epoch lines with the alarms, the result rows and /usr/bin/time -v). Every row trains the same
# number of epochs (EPOCHS, default 5) with the best settings of results/gans/README.md; ROWS picks and orders rows
# (default: the informative ones first, so a run stopped early still has every model). The build is copied first, so
# rebuilding the worktree does not disturb the run. Table: python3 scripts/gans_table.py.
# Usage: scripts/experiments-gans-table.sh            EPOCHS=8 ROWS="gan:20 bigan:100" scripts/experiments-gans-table.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/provenance.sh
epochs=${EPOCHS:-5}
rows=${ROWS:-"gan:20 bigan:100 infogan:20 gan:10 bigan:20 infogan:10 gan:50 infogan:50 bigan:50 gan:100 infogan:100 bigan:10"}
bin=/tmp/latent-gans-table-$$
rm -rf "$bin"; cp -r src/Latent.Cli/bin/Release/net10.0 "$bin"
common=(--real 3 --fake 5 --epochs "$epochs" --preprocess deskew,center)
search=(--search-restarts 1 --search-steps 50 --search-lr 0.1 --statistics-samples 64)
mkdir -p results/gans/table
for row in $rows; do
  model=${row%%:*}; z=${row##*:}
  case $model in
    gan) args=(--model gan "${search[@]}" --score recon,latent-nll,combined,discriminator) ;;
    infogan) args=(--model infogan "${search[@]}" --score recon,latent-nll,discriminator) ;;
    bigan) args=(--model bigan --spectral-norm true --d-channels 32,64 --joint-width 256 --lr 1e-4 --cycle-weight 50 --latent-cycle-weight 5
                 --prior-weight 10 --score recon,latent-nll,latent-nll-fit,discriminator,feature) ;;
    *) echo "unknown model $model" >&2; exit 2 ;;
  esac
  out=results/gans/table/$model-z$z.txt
  {
    provenance "scripts/experiments-gans-table.sh $model latent $z (EPOCHS=$epochs)"
    echo "# latent classmodel ${common[*]} --latent $z ${args[*]}"
    /usr/bin/time -v dotnet "$bin/latent.dll" classmodel "${common[@]}" --latent "$z" "${args[@]}" 2>&1
  } > "$out" 2>&1 || echo "# FAILED (exit $?)" >> "$out"
  echo "done: $out"
done
rm -rf "$bin"

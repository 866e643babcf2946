#!/usr/bin/env bash
# The GAN family's MNIST 3-vs-5 runs (issue 13): each run's command and full output go to results/gans/<name>.txt.
# The build is copied first, so rebuilding the worktree does not disturb a running experiment.
# Usage: scripts/experiments-gans.sh <name> <latent classmodel arguments...>
#   e.g. scripts/experiments-gans.sh bigan-z100-e10 --model bigan --latent 100 --epochs 10
set -euo pipefail
cd "$(dirname "$0")/.."
name=$1; shift
bin=/tmp/latent-gans-$name
rm -rf "$bin"; cp -r src/Latent.Cli/bin/Release/net10.0 "$bin"
out=results/gans/$name.txt
{
  source scripts/provenance.sh
  provenance "scripts/experiments-gans.sh $name"
  echo "# latent classmodel --real 3 --fake 5 $*"
  /usr/bin/time -v dotnet "$bin/latent.dll" classmodel --real 3 --fake 5 "$@" 2>&1
} > "$out" 2>&1
echo "done: $out"

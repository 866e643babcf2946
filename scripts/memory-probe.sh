#!/usr/bin/env bash
# Issue 20: a flow step's pooled bytes (scripts/memory-probe) with one or more Latent builds, one after the other.
# Usage: bash scripts/memory-probe.sh KIND BIN_DIR ...   (BIN_DIR: a folder holding a Latent build's dlls, e.g. a copy of
# src/Latent.Cli/bin/Release/net10.0 made before a change)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/scripts/provenance.sh"
provenance "scripts/memory-probe.sh $*"
kind="$1"; shift
for bin in "$@"; do
  out="$(mktemp -d)"
  dotnet build "$root/scripts/memory-probe" -c Release -p:LatentBin="$bin" -o "$out" -v q -nologo > "$out.log" 2>&1 || { cat "$out.log"; exit 1; }
  echo "## $bin ($(cat "$bin/COMMIT" 2>/dev/null || echo "commit not recorded"))"
  dotnet "$out/MemoryProbe.dll" "$kind"
  rm -rf "$out" "$out.log"
done

#!/usr/bin/env bash
# The exported VAE in ONNX Runtime against our own scorer (bench/Latent.Bench onnx), then the same as whole commands:
#   1. trains the seed study's VAE (conv, latent 20, the default network) on MNIST's 3s for --epochs (default 1);
#   2. `latent export` writes it as ONNX (score recon) and scripts/onnx-check.sh checks the file (if python3-onnx);
#   3. the benchmark: correctness (ONNX Runtime = ours to 1e-4), then median seconds for 1,000 MNIST test images;
#   4. wall time of `latent score --score recon` on an IDX file of those 1,000 images, for the whole command.
# Usage: scripts/bench-onnx.sh [OUT_DIR] (default /tmp/latent-bench-onnx). Writes nothing in the repository.
# PEERS_DIR as for every bench script (scripts/bench-env.sh), though this one runs no peer.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/bench-env.sh
out=${1:-/tmp/latent-bench-onnx}
mkdir -p "$out"
dotnet build -c Release src/Latent.Cli >/dev/null
dotnet build -c Release bench/Latent.Bench >/dev/null
latent="dotnet src/Latent.Cli/bin/Release/net10.0/latent.dll"
[ -f "$out/vae3.safetensors" ] || $latent train --model vae --dataset mnist --class 3 --epochs 1 --out "$out/vae3.safetensors" >/dev/null
$latent export --model-file "$out/vae3.safetensors" --format onnx --out "$out/vae3.onnx"
bash scripts/onnx-check.sh "$out/vae3.onnx" || echo "(checker not run)"
dotnet bench/Latent.Bench/bin/Release/net10.0/Latent.Bench.dll onnx --model-file "$out/vae3.safetensors" --repeats 5
# the first 1,000 test images as an IDX file, for the whole-command timing
/usr/bin/python3 - "$out/t1000-images-idx3-ubyte" <<'PY'
import os, struct, sys
data = open(os.path.join(os.environ["MNIST_DIR"], "t10k-images-idx3-ubyte"), "rb").read()
n = 1000
open(sys.argv[1], "wb").write(struct.pack(">IIII", 0x803, n, 28, 28) + data[16:16 + n * 784])
PY
s=$(date +%s.%N)
$latent score --model-file "$out/vae3.safetensors" --input "$out/t1000-images-idx3-ubyte" --score recon --output "$out/scores.csv" >/dev/null
e=$(date +%s.%N)
echo "whole command: latent score --score recon on 1000 images: $(python3 -c "print(f'{$e - $s:.2f}')") s wall (start-up, loading and writing included)"

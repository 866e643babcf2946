#!/usr/bin/env bash
# Classical class models, ours beside the peers, one right after the other on this machine:
#   PCA16 one-vs-rest (10 classes, fit + score 10k) vs scikit-learn; 1-NN 3 vs 5 vs SciPy's cdist.
# Prints both JSON documents and the ratios (peer seconds / our seconds: above 1 = we are faster).
# Needs, for the peer: apt-get install python3-sklearn python3-scipy python3-numpy python3-threadpoolctl libopenblas0-pthread
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/bench-env.sh
dotnet build -c Release bench/Latent.Bench >/dev/null
ours=$(dotnet bench/Latent.Bench/bin/Release/net10.0/Latent.Bench.dll classical --json)
peer=$(/usr/bin/time -f "  peer process: %e s wall, %M KB max RSS (issue 20)" /usr/bin/python3 scripts/peer_classical.py)   # its memory line goes to stderr
echo "ours: $ours"
echo "peer: $peer"
/usr/bin/python3 - "$ours" "$peer" <<'PY'
import json, sys
o, p = json.loads(sys.argv[1]), json.loads(sys.argv[2])
print(f"PCA16 one-vs-rest: ours {o['pcaOneVsRest']['seconds']:.2f} s, scikit-learn {p['pcaOneVsRest']['seconds']:.2f} s, "
      f"ratio {p['pcaOneVsRest']['seconds'] / o['pcaOneVsRest']['seconds']:.2f}x")
pk = {k['metric']: k for k in p['knn3vs5']}
for k in o['knn3vs5']:
    q = pk[k['metric']]
    print(f"1-NN {k['metric']:9s} 3 vs 5: ours {k['seconds']:.3f} s, SciPy cdist {q['seconds']:.3f} s, ratio {q['seconds'] / k['seconds']:.1f}x "
          f"(balanced error {100*k['balancedError']:.2f} % vs {100*q['balancedError']:.2f} %)")
g = pk['euclidean-numpy-gemm']['seconds']
print(f"1-NN euclidean, numpy GEMM form (float64, OpenBLAS 2 threads): {g:.3f} s, ratio {g / o['knn3vs5'][0]['seconds']:.1f}x")
PY

#!/usr/bin/env bash
# Runs our `gemm` benchmark and the OpenBLAS peer (../shared/peers/gemm.py: numpy -> OpenBLAS, and
# torch.mm) one after the other on this machine, then prints our GFLOP/s beside the peer's and the
# ratio per shape and thread count (median vs median, best vs best). Target (issue 3): ratio >= 0.9
# everywhere, > 1 on the batched case. Run it on a quiet machine: the timings of both are noisy
# when other processes compete for the cores.
# Usage: scripts/bench-gemm.sh   (PEERS_DIR=... to point at the peer scripts)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
peers="${PEERS_DIR:-$root/../shared/peers}"
[ -f "$peers/gemm.py" ] || peers=/work/shared/peers
if [ ! -f "$peers/gemm.py" ]; then
  echo "peer script gemm.py not found; set PEERS_DIR to the folder holding shared/peers/gemm.py" >&2
  exit 1
fi
if ! /usr/bin/python3 -c "import numpy, torch, threadpoolctl" 2>/dev/null; then
  echo "the peer needs Debian's numpy, torch, threadpoolctl and OpenBLAS:" >&2
  echo "  sudo apt-get install python3-numpy python3-torch python3-threadpoolctl libopenblas0-pthread" >&2
  exit 1
fi
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

echo "== ours: dotnet run -c Release --project bench/Latent.Bench -- gemm --json" >&2
dotnet run -c Release --project "$root/bench/Latent.Bench" -- gemm --json > "$tmp/ours.json"
echo "== peer: $peers/gemm.py" >&2
(cd "$peers" && env -u MNIST_DIR /usr/bin/python3 gemm.py) | tee "$tmp/peer.txt" >&2

/usr/bin/python3 - "$tmp/ours.json" "$tmp/peer.txt" <<'PY'
import json, re, sys
ours = json.load(open(sys.argv[1]))
peer = {}
pat = re.compile(r"\(([\d, ]+)\)(b?)\s+(\d+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)")
for line in open(sys.argv[2]):
    mt = pat.search(line)
    if not mt: continue
    dims = [int(x) for x in mt.group(1).split(",")]
    key = (dims[0], dims[1], dims[2], dims[3]) if mt.group(2) else (0, dims[0], dims[1], dims[2])
    peer[key + (int(mt.group(3)),)] = tuple(float(mt.group(i)) for i in range(4, 8))
print(f"{'shape':>18} {'thr':>3} {'ours med':>9} {'blas med':>9} {'ratio':>6}   {'ours best':>9} {'blas best':>9} {'ratio':>6}")
worst = None
for r in ours:
    key = (r.get("batch", 0), r["m"], r["k"], r["n"], r["threads"])
    shape = (f"{key[0]}x" if key[0] else "") + f"({r['m']},{r['k']},{r['n']})"
    if key not in peer:
        print(f"{shape:>18} {r['threads']:>3} {r['median']:9.1f}   (no peer figure)"); continue
    nm, nb, tm, tb = peer[key]
    rm, rb = r["median"] / nm, r["best"] / nb
    worst = rm if worst is None else min(worst, rm)
    print(f"{shape:>18} {r['threads']:>3} {r['median']:9.1f} {nm:9.1f} {rm:6.2f}   {r['best']:9.1f} {nb:9.1f} {rb:6.2f}")
if worst is not None:
    print(f"lowest median ratio: {worst:.2f} (target >= 0.90; the batched case should be > 1)")
PY

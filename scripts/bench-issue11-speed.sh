#!/usr/bin/env bash
# Issue 11, "training speed unchanged within noise": `latent train --model vae --latent 20 --epochs 2` (MNIST class 3)
# by the build before the redesign and by the current build, interleaved (old, new, old, new, ...), each under
# /usr/bin/time -v with the machine's load before it; then the medians of wall time, CPU time (user + sys) and the
# training img/s the command reports, old against new. CPU seconds move less with the load than wall seconds.
# Then the same seed and threads train a quick VAE and AAE (1 epoch) with each build, and the checkpoints' tensors
# are compared bit for bit (scripts/compare_checkpoints.py; the metadata differs by design: the options record and the
# optimiser state's names changed).
# Usage: scripts/bench-issue11-speed.sh OLD_LATENT NEW_LATENT [rounds (default 3; 0: only the checkpoint comparison)]
#   OLD_LATENT, NEW_LATENT: the `latent` executables of the two builds (e.g. a worktree of b6ccaa4^ built with
#   `dotnet build src/Latent.Cli -c Release`, and this checkout's). LATENT_THREADS is 2 for both.
set -euo pipefail
old="$1"; new="$2"; rounds="${3:-3}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/scripts/provenance.sh"
provenance "scripts/bench-issue11-speed.sh $*"
echo "# old: $old ($(git -C "$(dirname "$old")" rev-parse --short HEAD 2>/dev/null || echo '?'))"
echo "# new: $new ($(git -C "$(dirname "$new")" rev-parse --short HEAD 2>/dev/null || echo '?'))"
export LATENT_THREADS=2
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
if [ "$rounds" -gt 0 ]; then
for r in $(seq 1 "$rounds"); do
  for which in old new; do
    bin="$old"; [ "$which" = new ] && bin="$new"
    echo "== round $r, $which: uptime $(uptime | sed 's/.*load average/load average/')"
    /usr/bin/time -v "$bin" train --model vae --latent 20 --epochs 2 --class 3 --seed 0 --out "$tmp/$which-$r.safetensors" --force \
      > "$tmp/$which-$r.out" 2> "$tmp/$which-$r.err" || { cat "$tmp/$which-$r.err"; exit 1; }
    grep -E 'epoch [0-9]+/[0-9]+' "$tmp/$which-$r.out" "$tmp/$which-$r.err" | sed 's/^[^:]*://' | sed 's/^/   /' || true
    grep -E 'Elapsed|User time|System time|Maximum resident' "$tmp/$which-$r.err" | sed 's/^\s*/   /'
  done
done
/usr/bin/python3 - "$tmp" "$rounds" <<'PY'
import re, statistics, sys, os
tmp, rounds = sys.argv[1], int(sys.argv[2])
def field(text, name):
    m = re.search(name + r".*?: ([\d:.]+)", text)
    v = m.group(1)
    if ":" in v:
        parts = [float(p) for p in v.split(":")]
        return sum(p * 60 ** i for i, p in enumerate(reversed(parts)))
    return float(v)
rows = {}
for which in ("old", "new"):
    wall, cpu, ips = [], [], []
    for r in range(1, rounds + 1):
        err = open(os.path.join(tmp, f"{which}-{r}.err")).read()
        out = open(os.path.join(tmp, f"{which}-{r}.out")).read() + err
        wall.append(field(err, "Elapsed"))
        cpu.append(field(err, "User time") + field(err, "System time"))
        rates = [float(x) for x in re.findall(r"([\d.]+) img/s", out)]
        if rates: ips.append(statistics.mean(rates))
    rows[which] = (statistics.median(wall), statistics.median(cpu), statistics.median(ips) if ips else float("nan"), wall, cpu)
for which, (w, c, i, ws, cs) in rows.items():
    print(f"{which}: median wall {w:.1f} s, median CPU {c:.1f} s, median training {i:.0f} img/s (wall {', '.join(f'{x:.1f}' for x in ws)}; CPU {', '.join(f'{x:.1f}' for x in cs)})")
(ow, oc, oi, *_), (nw, nc, ni, *_) = rows["old"], rows["new"]
print(f"new / old: wall {nw / ow:.3f}, CPU {nc / oc:.3f}, training img/s {ni / oi:.3f}")
PY
fi
echo "== bit-identical checkpoints: same seed (0) and threads (2), 1 epoch, class 3"
for model in vae aae; do
  "$old" train --model "$model" --latent 20 --epochs 1 --class 3 --seed 0 --out "$tmp/old-$model.safetensors" --force > /dev/null 2>&1
  "$new" train --model "$model" --latent 20 --epochs 1 --class 3 --seed 0 --out "$tmp/new-$model.safetensors" --force > /dev/null 2>&1
  echo "-- $model: old vs new"
  /usr/bin/python3 "$root/scripts/compare_checkpoints.py" "$tmp/old-$model.safetensors" "$tmp/new-$model.safetensors" | grep -E '^#|DIFF|ONLY' || true
  # each build scores its own checkpoint on the test images of classes 3 and 5 (the cheap scores both builds give;
  # the Jacobian scores take minutes on a loaded machine), per image
  scores=recon,latent-nll; [ "$model" = vae ] && scores=recon,latent-nll,elbo
  for c in 3 5; do
    "$old" --json score --model-file "$tmp/old-$model.safetensors" --input "mnist:$c" --score "$scores" > "$tmp/old-$model-$c.json"
    "$new" --json score --model-file "$tmp/new-$model.safetensors" --input "mnist:$c" --score "$scores" > "$tmp/new-$model-$c.json"
  done
  /usr/bin/python3 - "$tmp" "$model" <<'PY'
import json, sys
tmp, model = sys.argv[1], sys.argv[2]
for c in (3, 5):
    a = json.load(open(f"{tmp}/old-{model}-{c}.json")); b = json.load(open(f"{tmp}/new-{model}-{c}.json"))
    names = [s["name"] for s in a["scores"] if s["name"] in {t["name"] for t in b["scores"]}]
    same = {n: all(x[n] == y[n] for x, y in zip(a["samples"], b["samples"])) for n in names}
    print(f"   scores of mnist:{c} test ({len(a['samples'])} vs {len(b['samples'])} images): " +
          ", ".join(f"{n} {'identical' if ok else 'DIFFERENT'}" for n, ok in same.items()) +
          f"; only old: {sorted({s['name'] for s in a['scores']} - set(names))}; only new: {sorted({s['name'] for s in b['scores']} - set(names))}")
PY
done
echo "# done $(date -u +%Y-%m-%dT%H:%M:%SZ), load $(cut -d' ' -f1-3 /proc/loadavg)"

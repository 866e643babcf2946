#!/usr/bin/env python3
"""The tables of docs/ACCURACY.md from results/accuracy: for every configuration in runs.tsv, the best row of its
select-phase run (held-out training images; the row is chosen there) and the SAME row (model, latent, score) on the
test split, with the 95 % bootstrap interval of the balanced error and the wall time; then the one-vs-rest runs."""
import json, os, sys

out = sys.argv[1] if len(sys.argv) > 1 else "results/accuracy"
runs = {}
for line in open(os.path.join(out, "runs.tsv")):
    name, phase, secs, args = line.rstrip("\n").split("\t", 3)
    runs[(name, phase)] = (float(secs), args)

def rows(phase, name):
    path = os.path.join(out, phase, name + ".json")
    return json.load(open(path))["results"] if os.path.exists(path) else None

def key(r):
    return (r["model"], r.get("latent"), r["score"])

names = []
for (n, ph) in runs:
    if ph in ("select", "test") and n not in names:
        names.append(n)
print("| configuration | row chosen on held-out training images | select bal. err. % | test bal. err. % (95 % CI) | test AUROC | test wall s |")
print("|---|---|---|---|---|---|")
tried = 0
for n in names:
    sel, tst = rows("select", n), rows("test", n)
    if not sel:
        continue
    tried += 1
    best = min(sel, key=lambda r: r["balancedError"])
    row = f'{best["model"]}{" k=" + str(best["latent"]) if best.get("latent") else ""} {best["score"]}'
    t = next((r for r in tst or [] if key(r) == key(best)), None)
    ts = runs.get((n, "test"), (float("nan"), ""))[0]
    test = f'{100*t["balancedError"]:.2f} ({100*t["balancedErrorLow"]:.2f}-{100*t["balancedErrorHigh"]:.2f})' if t else "not run"
    print(f'| {n} | {row} | {100*best["balancedError"]:.2f} | {test} | {t["auroc"]:.4f} | {ts:.0f} |' if t else
          f'| {n} | {row} | {100*best["balancedError"]:.2f} | {test} | - | - |')
print(f"\n{tried} configurations tried on the held-out training images ({sum(1 for (n, ph) in runs if ph == 'test')} also on the test split).\n")

# runs measured on the test split only (the quick VAE): every row
print("| configuration | row | test bal. err. % (95 % CI) | test AUROC | wall s |")
print("|---|---|---|---|---|")
for n in names:
    if rows("select", n) or not rows("test", n):
        continue
    for r in rows("test", n):
        print(f'| {n} | {r["model"]}{" k=" + str(r["latent"]) if r.get("latent") else ""} {r["score"]} | {100*r["balancedError"]:.2f} ({100*r["balancedErrorLow"]:.2f}-{100*r["balancedErrorHigh"]:.2f}) | {r["auroc"]:.4f} | {runs[(n, "test")][0]:.0f} |')
print()

for (n, ph), (secs, args) in runs.items():
    if ph != "ovr":
        continue
    doc = json.load(open(os.path.join(out, "ovr", n + ".json")))
    res = doc["results"]
    per = {}
    for r in res:
        per.setdefault(key(r), []).append(r["auroc"])
    for k, a in per.items():
        print(f"| {n} | {k[0]} {k[2]} | mean AUROC {sum(a)/len(a):.4f} | per class " + " ".join(f"{v:.3f}" for v in a) + f" | {secs:.0f} s |")

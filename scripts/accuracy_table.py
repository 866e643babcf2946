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
    # an empty file is a run still going (or one that failed): no figures yet
    return json.load(open(path))["results"] if os.path.exists(path) and os.path.getsize(path) > 0 else None

def class_counts(dataset):
    """Test images per class of the dataset (from the cached IDX labels), for the AUROC intervals."""
    import gzip
    base = os.path.expanduser(f"~/.cache/latent/{dataset}/t10k-labels-idx1-ubyte")
    raw = open(base, "rb").read() if os.path.exists(base) else gzip.open(base + ".gz").read()
    labels = raw[8:]
    return [labels.count(bytes([c])) for c in range(10)]

def mean_auroc_interval(aurocs, counts):
    """A 95 % interval for the mean of the per-class one-vs-rest AUROCs from Hanley and McNeil's (1982) standard error of
    each AUROC (class c's n1 test images against the n2 of the others); the results hold no per-image scores, so no
    bootstrap. The ten AUROCs share test images, so their errors are correlated: "conservative" combines the standard
    errors as if fully correlated (the mean of the SEs), "independent" as if independent (their root mean square / sqrt 10)."""
    import math
    ses = []
    total = sum(counts)
    for a, n1 in zip(aurocs, counts):
        n2 = total - n1
        q1, q2 = a / (2 - a), 2 * a * a / (1 + a)
        ses.append(math.sqrt((a * (1 - a) + (n1 - 1) * (q1 - a * a) + (n2 - 1) * (q2 - a * a)) / (n1 * n2)))
    m = sum(aurocs) / len(aurocs)
    full = sum(ses) / len(ses)
    ind = math.sqrt(sum(s * s for s in ses)) / len(ses)
    return m - 1.96 * full, min(1.0, m + 1.96 * full), m - 1.96 * ind, min(1.0, m + 1.96 * ind)

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
    per, seen = {}, {}
    for r in res:
        # a second model of the same kind in one class (a --fuse-with companion) is "knn-2", as the command names it
        # since session 11; runs made before that printed both as "knn", in this order
        k = key(r)
        nth = seen[(r["real"],) + k] = seen.get((r["real"],) + k, 0) + 1
        if nth > 1 and not k[0].endswith(f"-{nth}"):
            k = (f"{k[0]}-{nth}",) + k[1:]
        per.setdefault(k, []).append(r["auroc"])
    counts = class_counts(doc["dataset"])
    # since session 12 the run itself bootstraps the mean over the shared test set (meanAuroc's aurocLow / aurocHigh)
    boot = {(m["model"], m.get("latent"), m["score"]): (m["aurocLow"], m["aurocHigh"]) for m in doc.get("meanAuroc", []) if "aurocLow" in m}
    for k, a in per.items():
        lo, hi, lo_ind, hi_ind = mean_auroc_interval(a, counts)
        ci = (f"95 % bootstrap {boot[k][0]:.4f}-{boot[k][1]:.4f}; Hanley-McNeil {lo:.4f}-{hi:.4f} conservative, {lo_ind:.4f}-{hi_ind:.4f} independent"
              if k in boot else f"95 %: {lo:.4f}-{hi:.4f} conservative, {lo_ind:.4f}-{hi_ind:.4f} independent")
        print(f"| {n} | {k[0]}{' k=' + str(k[1]) if k[1] else ''} {k[2]} | mean AUROC {sum(a)/len(a):.4f} "
              f"({ci}) | per class " + " ".join(f"{v:.3f}" for v in a) + f" | {secs:.0f} s |")
    for m in doc.get("pairs", []):
        cells = m["pairs"]
        worst = max(cells, key=lambda c: c["balancedError"])
        three_five = [c for c in cells if (c["real"], c["fake"]) in (("3", "5"), ("shirt", "t-shirt"))]
        extra = "".join(f", {c['real']} vs {c['fake']} {100*c['balancedError']:.2f} %" for c in three_five)
        print(f"|   pairs of {n} | {m['model']}{' k=' + str(m['latent']) if m.get('latent') else ''} {m['score']} | mean balanced error over {len(cells)} pairs "
              f"{100*m['meanBalancedError']:.2f} % | worst {worst['real']} vs {worst['fake']} {100*worst['balancedError']:.2f} %{extra} | |")

#!/usr/bin/env python3
"""The (real x fake) balanced-error matrix of one (model, score) from a `latent classmodel --real all --fake rest --pairs
--json` document, as a markdown table (docs/ACCURACY.md). Usage: accuracy_pairs.py RUN.json [MODEL [SCORE]]
(default: fused fused-fit)."""
import json, sys

doc = json.load(open(sys.argv[1]))
model = sys.argv[2] if len(sys.argv) > 2 else "fused"
score = sys.argv[3] if len(sys.argv) > 3 else "fused-fit"
m = next(p for p in doc["pairs"] if p["model"] == model and p["score"] == score)
classes = []
for c in m["pairs"]:
    for k in (c["real"], c["fake"]):
        if k not in classes:
            classes.append(k)
cell = {(c["real"], c["fake"]): c["balancedError"] for c in m["pairs"]}
print(f"| real \\\\ fake | " + " | ".join(classes) + " | mean |")
print("|---" * (len(classes) + 2) + "|")
for r in classes:
    row = [cell.get((r, f)) for f in classes]
    vals = [v for v in row if v is not None]
    print(f"| {r} | " + " | ".join("–" if v is None else f"{100 * v:.2f}" for v in row) + f" | {100 * sum(vals) / len(vals):.2f} |")
print(f"\nmean over the {len(cell)} pairs {100 * m['meanBalancedError']:.2f} %")

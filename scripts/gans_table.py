#!/usr/bin/env python3
"""Issue 13's table from results/gans/table/<model>-z<latent>.txt (scripts/experiments-gans-table.sh): balanced error %
per model, latent size and score (markdown on stdout), with each log's last epoch line and whether it finished.
Usage: python3 scripts/gans_table.py [DIR]"""
import os
import re
import sys

root = sys.argv[1] if len(sys.argv) > 1 else "results/gans/table"
scores = ["recon", "latent-nll", "latent-nll-fit", "combined", "discriminator", "feature"]
row_re = re.compile(r"^\s*3\s+5\s+(\w+)\s+(\d+)\s+([\w-]+)\s+([\d.]+)\s+([\d.]+-[\d.]+)\s+([\d.]+)\s+([\d.]+)")
cells, notes = {}, {}
for name in sorted(os.listdir(root)):
    m = re.match(r"(gan|bigan|infogan)-z(\d+)\.txt$", name)
    if not m:
        continue
    model, z = m.group(1), int(m.group(2))
    last, alarms, results = "", 0, {}
    with open(os.path.join(root, name)) as f:
        for line in f:
            if " epoch " in line and "/" in line:
                last = line.strip()
                alarms += "ALARM" in line or "saturated" in line
            r = row_re.match(line)
            if r:
                results[r.group(3)] = (float(r.group(4)), r.group(5), float(r.group(7)))
    cells[(model, z)] = results
    notes[(model, z)] = (last, alarms)

print("| model | latent | " + " | ".join(scores) + " | recon 95 % CI | recon AUROC | last epoch |")
print("| --- | --- | " + " | ".join("---" for _ in scores) + " | --- | --- | --- |")
for model in ["gan", "infogan", "bigan"]:
    for z in [10, 20, 50, 100]:
        if (model, z) not in cells:
            continue
        res = cells[(model, z)]
        vals = [f"{res[s][0]:.2f}" if s in res else "–" for s in scores]
        ci = res["recon"][1] if "recon" in res else "–"
        auroc = f"{res['recon'][2]:.4f}" if "recon" in res else "–"
        last = re.sub(r"\s+", " ", notes[(model, z)][0]) or "–"
        last = re.sub(r"^\S+ latent \d+ ", "", last)
        if not res:
            vals, last = ["not finished"] + ["–"] * (len(scores) - 1), last
        print(f"| {model} | {z} | " + " | ".join(vals) + f" | {ci} | {auroc} | {last} |")

#!/usr/bin/python3
"""AUROC of each score of `latent score --json` outputs: IN.json (in-distribution, negatives) against OUT.json
(out-of-distribution, positives); every Latent score is higher = more novel. Ties count one half.
Also prints the mean of each score over each file (for nll: bits/dim of the set).
Usage: /usr/bin/python3 scripts/flows_auroc.py IN.json OUT.json
"""
import json, sys


def scores(path):
    doc = json.load(open(path))
    names = [s["name"] for s in doc["scores"]]
    return names, {n: [s[n] for s in doc["samples"]] for n in names}


def auroc(neg, pos):
    ranked = sorted([(v, 0) for v in neg] + [(v, 1) for v in pos])
    rank_sum, i = 0.0, 0
    while i < len(ranked):
        j = i
        while j < len(ranked) and ranked[j][0] == ranked[i][0]:
            j += 1
        mid = (i + 1 + j) / 2
        rank_sum += mid * sum(1 for k in range(i, j) if ranked[k][1] == 1)
        i = j
    return (rank_sum - len(pos) * (len(pos) + 1) / 2) / (len(pos) * len(neg))


names, a = scores(sys.argv[1])
_, b = scores(sys.argv[2])
print(f"{'score':<18} {'mean in':>10} {'mean out':>10} {'AUROC':>7}")
for n in names:
    print(f"{n:<18} {sum(a[n]) / len(a[n]):10.4f} {sum(b[n]) / len(b[n]):10.4f} {auroc(a[n], b[n]):7.4f}")

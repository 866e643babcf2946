#!/usr/bin/env python3
"""Balanced error at the optimal threshold (the classmodel protocol's figure: min over thresholds of the mean of the
false-alarm and miss rates, higher score = more novel), with AUROC, from two `latent score --format csv` files of one
score: the real class's test images and the fake class's. Usage: python3 scripts/gan_balanced_error.py REAL.csv FAKE.csv SCORE"""
import csv
import sys

if len(sys.argv) != 4:
    sys.exit(__doc__)


def read(path, score):
    with open(path) as f:
        return [float(r[score]) for r in csv.DictReader(f)]


real, fake, score = read(sys.argv[1], sys.argv[3]), read(sys.argv[2], sys.argv[3]), sys.argv[3]
pairs = sorted([(v, 0) for v in real] + [(v, 1) for v in fake])
best, fa, miss = 0.5, len(real), 0            # threshold below every score: every image flagged novel
i = 0
while i < len(pairs):                         # flag "novel" when score > t: move t past each tie group
    v = pairs[i][0]
    while i < len(pairs) and pairs[i][0] == v:
        if pairs[i][1] == 0:
            fa -= 1
        else:
            miss += 1
        i += 1
    best = min(best, 0.5 * (fa / len(real) + miss / len(fake)))
rank, auc, j = 0.0, 0.0, 0
while j < len(pairs):                         # AUROC by average ranks
    k = j
    while k < len(pairs) and pairs[k][0] == pairs[j][0]:
        k += 1
    avg = (j + k + 1) / 2
    auc += sum(avg for _, y in pairs[j:k] if y == 1)
    j = k
auc = (auc - len(fake) * (len(fake) + 1) / 2) / (len(real) * len(fake))
print(f"{score}: balanced error {100 * best:.2f} %, AUROC {auc:.4f} ({len(real)} real, {len(fake)} fake)")

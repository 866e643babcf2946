# Session 11 probe (issue 13, BiGAN latent-nll): is the BiGAN's code of a 5 atypical in norm, though not less likely?
# Reads the `latent score --score latent-nll,recon --format csv` rows of the test 3s and 5s (bigan-z100-e5-test{3,5}.csv)
# and prints the balanced error (oracle threshold) and AUROC of latent-nll, recon, and |latent-nll - m| for two
# centres m: the prior's expected -log N(z; 0, I) (Z/2 log 2 pi + Z/2) and, as a PROBE ONLY (it reads test images;
# a real score would take m from training images), the mean over the test 3s.
import csv, sys
import numpy as np
from sklearn.metrics import roc_auc_score, roc_curve

here = sys.argv[1] if len(sys.argv) > 1 else "results/gans/session11"
def load(c):
    rows = list(csv.DictReader(open(f"{here}/bigan-z100-e5-test{c}.csv")))
    return np.array([float(r["latent-nll"]) for r in rows]), np.array([float(r["recon"]) for r in rows])
def be(a, b):
    y = np.r_[np.zeros(len(a)), np.ones(len(b))]; s = np.r_[a, b]
    fpr, tpr, _ = roc_curve(y, s)
    return f"{100 * (0.5 * (fpr + 1 - tpr)).min():.2f} % (AUROC {roc_auc_score(y, s):.3f})"
n3, r3 = load(3); n5, r5 = load(5)
z = 100
prior = z / 2 * np.log(2 * np.pi) + z / 2
print(f"latent-nll: {be(n3, n5)}; mean over the 3s {n3.mean():.1f}, the 5s {n5.mean():.1f}, the prior's expectation {prior:.1f} nats")
print(f"recon: {be(r3, r5)}")
print(f"|latent-nll - prior expectation|: {be(abs(n3 - prior), abs(n5 - prior))}")
m = n3.mean()
print(f"|latent-nll - mean of the test 3s| (probe only): {be(abs(n3 - m), abs(n5 - m))}")

"""Tabular novelty detection peers on the Wisconsin breast-cancer table, the same split as `latent classmodel
--dataset csv:results/tabular/breast_cancer.csv --label-column diagnosis --real benign --fake malignant`.

  Table:  Debian python3-sklearn's /usr/lib/python3/dist-packages/sklearn/datasets/data/breast_cancer.csv (569 rows,
          30 features; its first line is scikit-learn's "569,30,malignant,benign" count line, not column names), written
          by this script as results/tabular/breast_cancer.csv with a header: the 30 feature names (spaces as '_') and
          `diagnosis` (benign / malignant), rows in the original order.
  Split:  Latent's InterleavedSplit at --validation 0.2: within each class, in file order, row j (from 0) is held out
          iff floor((j + 1) * 0.2) > floor(j * 0.2). The training benign rows fit the models; the held-out benign
          (normal) and held-out malignant (novel) rows are the test set.
  Scale:  standardised by the training benign rows' mean and population sd (ddof 0), as Latent stores in the model.
  Peers:  IsolationForest(random_state=0), LocalOutlierFactor(novelty=True) (n_neighbors=20), OneClassSVM() (rbf,
          gamma='scale', nu=0.5): scikit-learn's defaults; plus PCA(k) squared reconstruction error as a cross-check of
          Latent's pca at the same k. Novelty score = -score_samples (higher = more novel).
  Metrics: AUROC (malignant positive) and the oracle balanced error (best threshold on the test set), as Latent's
          classmodel reports them.
Usage: /usr/bin/python3 scripts/peer_tabular.py [--pca 2,5,10]   (prints a table and writes results/tabular/peers.json)"""
import json, math, os, sys
import numpy as np
from sklearn.datasets import load_breast_cancer
from sklearn.decomposition import PCA
from sklearn.ensemble import IsolationForest
from sklearn.metrics import roc_auc_score
from sklearn.neighbors import LocalOutlierFactor
from sklearn.svm import OneClassSVM

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "results", "tabular")
ks = [int(k) for k in (sys.argv[sys.argv.index("--pca") + 1].split(",") if "--pca" in sys.argv else ["2", "5", "10"])]

data = load_breast_cancer()
X, y = data.data, data.target                              # target 0 = malignant, 1 = benign
names = [n.replace(" ", "_") for n in data.feature_names]
labels = np.where(y == 1, "benign", "malignant")
os.makedirs(OUT, exist_ok=True)
SOURCE = "/usr/lib/python3/dist-packages/sklearn/datasets/data/breast_cancer.csv"
with open(SOURCE) as src, open(os.path.join(OUT, "breast_cancer.csv"), "w", newline="\n") as f:
    f.write(",".join(names + ["diagnosis"]) + "\n")
    for line, lab in zip(src.read().splitlines()[1:], labels):   # the cells exactly as Debian ships them
        cells = line.split(",")
        assert len(cells) == 31 and cells[30] == ("1" if lab == "benign" else "0")
        f.write(",".join(cells[:30]) + "," + lab + "\n")

def interleaved(labels, fraction):
    seen, kept, held = {}, [], []
    for i, l in enumerate(labels):
        j = seen.get(l, 0); seen[l] = j + 1
        (held if math.floor((j + 1) * fraction) > math.floor(j * fraction) else kept).append(i)
    return np.array(kept), np.array(held)

kept, held = interleaved(list(labels), 0.2)
train = X[kept][labels[kept] == "benign"]
test, novel = X[held], (labels[held] == "malignant").astype(int)
mu, sd = train.mean(0), train.std(0)
Z, T = (train - mu) / sd, (test - mu) / sd

def balanced_error(novel, score):
    best = 1.0
    for t in np.unique(score):
        for flag in (score >= t, score > t):
            fpr = flag[novel == 0].mean(); fnr = 1 - flag[novel == 1].mean()
            best = min(best, (fpr + fnr) / 2)
    return best

models = {
    "IsolationForest": IsolationForest(random_state=0).fit(Z),
    "LOF (novelty=True)": LocalOutlierFactor(novelty=True).fit(Z),
    "OneClassSVM": OneClassSVM().fit(Z),
}
rows = []
for name, m in models.items():
    s = -m.score_samples(T)
    rows.append({"model": name, "auroc": roc_auc_score(novel, s), "balancedError": balanced_error(novel, s)})
for k in ks:
    p = PCA(k, svd_solver="full").fit(Z)
    s = ((T - p.inverse_transform(p.transform(T))) ** 2).sum(1)
    rows.append({"model": f"sklearn PCA({k}) recon", "auroc": roc_auc_score(novel, s), "balancedError": balanced_error(novel, s)})
doc = {"table": "results/tabular/breast_cancer.csv", "trainBenign": int(len(train)), "testBenign": int((novel == 0).sum()),
       "testMalignant": int(novel.sum()), "rows": rows}
with open(os.path.join(OUT, "peers.json"), "w") as f:
    json.dump(doc, f, indent=1)
print(f"train: {len(train)} benign rows; test: {(novel == 0).sum()} benign, {novel.sum()} malignant (held out, InterleavedSplit 0.2)")
print(f"{'model':28s} {'AUROC':>7s} {'bal.err':>8s}")
for r in rows:
    print(f"{r['model']:28s} {r['auroc']:7.4f} {r['balancedError']:8.4f}")

"""Peer timings for the classical class models, the same work as `Latent.Bench classical`:
  PCA16 one-vs-rest: scikit-learn PCA(16, svd_solver='full').fit on each digit's training images, squared
                     reconstruction error of the whole 10k test set (exactly ../shared/peers/sklearn_oneclass.py's
                     PCA16 column, OpenBLAS limited to 2 threads), best of 3 whole runs
  1-NN 3 vs 5:       scipy.spatial.distance.cdist(R, T).min(1) and cdist(F, T).min(1), Euclidean and cosine, float64
                     (as ../shared/peers/knn_oneclass.py), and its GEMM-form numpy distance for reference; best of 3
Prints one JSON document. Needs Debian's python3-sklearn python3-scipy python3-numpy python3-threadpoolctl
libopenblas0-pthread, and MNIST_DIR pointing at the IDX files (scripts/bench-classical.sh sets it)."""
import json, os, sys, time
sys.path.insert(0, os.environ.get("PEERS_DIR", os.path.join(os.path.dirname(__file__), "..", "..", "shared", "peers")))
import numpy as np
from sklearn.decomposition import PCA
from sklearn.metrics import roc_auc_score
from scipy.spatial.distance import cdist
from threadpoolctl import threadpool_limits
from mnist_io import load, errors_and_auc

Xtr, ytr = load("train"); Xte, yte = load("test")
out = {}
with threadpool_limits(limits=2):
    best = None
    for _ in range(3):
        t = 0.0; aucs = []
        for c in range(10):
            A = Xtr[ytr == c]
            t0 = time.perf_counter()
            p = PCA(16, svd_solver="full").fit(A)
            s = ((Xte - p.inverse_transform(p.transform(Xte))) ** 2).sum(1)
            t += time.perf_counter() - t0
            aucs.append(roc_auc_score((yte != c).astype(int), s))
        best = t if best is None else min(best, t)
    out["pcaOneVsRest"] = {"latent": 16, "seconds": best, "meanAuroc": float(np.mean(aucs))}
    T = Xtr[ytr == 3].astype(np.float64); R = Xte[yte == 3].astype(np.float64); F = Xte[yte == 5].astype(np.float64)
    knn = []
    for metric in ["euclidean", "cosine"]:
        best = None
        for _ in range(3):
            t0 = time.perf_counter()
            sr = cdist(R, T, metric).min(1); sf = cdist(F, T, metric).min(1)
            dt = time.perf_counter() - t0
            best = dt if best is None else min(best, dt)
        m = errors_and_auc(sr, sf)
        knn.append({"metric": metric, "seconds": best, "balancedError": m["err_balanced"], "auroc": m["auroc"]})
    best = None
    for _ in range(3):
        t0 = time.perf_counter()
        for Y in (R, F):
            d2 = (Y ** 2).sum(1)[:, None] - 2 * Y @ T.T + (T ** 2).sum(1)[None, :]
            np.sqrt(np.maximum(d2.min(1), 0))
        dt = time.perf_counter() - t0
        best = dt if best is None else min(best, dt)
    knn.append({"metric": "euclidean-numpy-gemm", "seconds": best})
    out["knn3vs5"] = knn
print(json.dumps(out, indent=2))

# quick probe: IDM (Keysers et al. 2007) kNN for one-class 3 vs 5 on held-out training images
import numpy as np, sys, time
def idx(p, off): return np.fromfile(p, np.uint8)[off:]
X = idx('/root/.cache/latent/mnist/train-images-idx3-ubyte', 16).reshape(-1, 28, 28).astype(np.float32) / 255
Y = idx('/root/.cache/latent/mnist/train-labels-idx1-ubyte', 8)
rng = np.random.default_rng(0)
i3 = rng.permutation(np.where(Y == 3)[0]); i5 = rng.permutation(np.where(Y == 5)[0])
ntr = int(0.8 * len(i3)); tr = X[i3[:ntr]]; r = X[i3[ntr:]][:int(sys.argv[1])]; f = X[i5[:int(sys.argv[1])]]

def deskew(img):
    ys, xs = np.mgrid[:28, :28]; m = img.sum()
    if m == 0: return img
    cy, cx = (ys * img).sum() / m, (xs * img).sum() / m
    vy = ((ys - cy) ** 2 * img).sum() / m; cxy = ((ys - cy) * (xs - cx) * img).sum() / m
    a = cxy / vy
    # output (y, x) samples input at (y, x + a (y - cy)) and shift centroid to centre
    from scipy.ndimage import map_coordinates
    sy = ys + (cy - 13.5); sx = xs + a * (ys - 13.5) + (cx - 13.5)
    return map_coordinates(img, [sy, sx], order=1, cval=0)

def grads(imgs):
    p = np.pad(imgs, ((0, 0), (1, 1), (1, 1)))
    gx = (p[:, :-2, 2:] + 2 * p[:, 1:-1, 2:] + p[:, 2:, 2:]) - (p[:, :-2, :-2] + 2 * p[:, 1:-1, :-2] + p[:, 2:, :-2])
    gy = (p[:, 2:, :-2] + 2 * p[:, 2:, 1:-1] + p[:, 2:, 2:]) - (p[:, :-2, :-2] + 2 * p[:, :-2, 1:-1] + p[:, :-2, 2:])
    return np.stack([gx, gy], 1)  # (N, 2, 28, 28)

def idm(ga, gbs, w, c):
    # ga (2, 28, 28) test; gbs (R, 2, 28, 28) references; d = sum_p min_{|delta|<=w} sum_{|o|<=c} ||ga(p+o) - gb(p+delta+o)||^2
    P = w + c
    A = np.pad(ga, ((0, 0), (c, c), (c, c)))                   # (2, 28+2c, ...)
    B = np.pad(gbs, ((0, 0), (0, 0), (P, P), (P, P)))           # (R, 2, 28+2P, ...)
    S = 28 + 2 * c
    best = None
    for dy in range(-w, w + 1):
        for dx in range(-w, w + 1):
            Bs = B[:, :, w + dy: w + dy + S, w + dx: w + dx + S]
            D = ((A[None] - Bs) ** 2).sum(1)                    # (R, S, S)
            # box sum over (2c+1)^2 centred at each of the 28 x 28 pixels
            cs = D.cumsum(1).cumsum(2); cs = np.pad(cs, ((0, 0), (1, 0), (1, 0)))
            k = 2 * c + 1
            box = cs[:, k:, k:] - cs[:, :-k, k:] - cs[:, k:, :-k] + cs[:, :-k, :-k]
            best = box if best is None else np.minimum(best, box)
    return best.sum((1, 2))

def run(pre, w, c, R=50, tag=''):
    T, RR, FF = tr, r, f
    if pre:
        T = np.stack([deskew(x) for x in T]); RR = np.stack([deskew(x) for x in RR]); FF = np.stack([deskew(x) for x in FF])
    gT = grads(T); Tf = T.reshape(len(T), -1)
    def score(imgs):
        g = grads(imgs); out = []
        for i in range(len(imgs)):
            d = ((Tf - imgs[i].reshape(-1)) ** 2).sum(1); cand = np.argpartition(d, R)[:R]
            out.append(idm(g[i], gT[cand], w, c).min())
        return np.array(out)
    t = time.time(); sr, sf = score(RR), score(FF)
    from sklearn.metrics import roc_curve, roc_auc_score
    y = np.r_[np.zeros(len(sr)), np.ones(len(sf))]; s = np.r_[sr, sf]
    fpr, tpr, _ = roc_curve(y, s); be = (0.5 * (fpr + 1 - tpr)).min()
    print(f'{tag} deskew={pre} w={w} c={c} R={R}: bal.err {100*be:.2f} % auroc {roc_auc_score(y, s):.4f} ({time.time()-t:.0f} s)', flush=True)

for pre in (False, True):
    for w, c in ((0, 1), (1, 1), (2, 1)):
        run(pre, w, c)

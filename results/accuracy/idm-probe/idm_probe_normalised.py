exec(open(__file__.replace('idm_probe_normalised.py', 'idm_probe.py')).read().split("for pre in (False, True):")[0])
import itertools
def norm(a): return a / np.linalg.norm(a.reshape(len(a), -1), axis=1)[:, None, None]
tr0, r0, f0 = tr, r, f
for nm in (True,):
    tr, r, f = (norm(tr0), norm(r0), norm(f0)) if nm else (tr0, r0, f0)
    for pre, w, c in ((False, 1, 1), (False, 1, 2), (True, 1, 2), (False, 2, 2)):
        run(pre, w, c, tag=f'norm={nm}')

"""The training loop the GAN peers share (scripts/peer_bigan_torch.py, peer_infogan_torch.py): MNIST training 3s
(n = 6131, pixels in [0, 1] from ../shared/peers/mnist_io.py, MNIST_DIR default ~/.cache/latent/mnist), batch 128 with
the last partial batch kept, a fresh torch.randperm shuffle each epoch, one `step(x)` per batch (x in [0, 1], shape
(B, 1, 28, 28)). Prints per epoch the mean of the step's first returned loss, wall seconds, real images/s, the process's
CPU seconds (time.process_time: every thread) and images per CPU-second, then the means over the epochs after the first.
Threads as ../shared/peers/ae_torch.py: THREADS (torch, default 2) and BLAS_THREADS (OpenBLAS, default THREADS).
IMAGES (default all) trains on the first IMAGES threes only: on a loaded shared machine a short run whose CPU seconds
are measured (as `Latent.Bench train <gan> --images N`)."""
import os, sys, time
import numpy as np, torch

PEERS = os.environ.get("PEERS_DIR", os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared", "peers"))
sys.path.insert(0, PEERS if os.path.isdir(PEERS) else "/work/shared/peers")
os.environ.setdefault("MNIST_DIR", os.path.expanduser("~/.cache/latent/mnist"))
from mnist_io import load, CpuMonitor          # noqa: E402
from threadpoolctl import threadpool_limits    # noqa: E402

def threes():
    X, y = load("train")
    return torch.from_numpy(X[y == 3]).view(-1, 1, 28, 28)

def run(name, make_step, epochs, bs=128):
    """make_step() builds the networks (after torch.manual_seed(0)) and returns (step, parameter count)."""
    nt = int(os.environ.get("THREADS", 2)); bt = int(os.environ.get("BLAS_THREADS", nt))
    torch.set_num_threads(nt)
    X = threes()
    if os.environ.get("IMAGES"): X = X[:int(os.environ["IMAGES"])]
    with threadpool_limits(limits=bt, user_api="blas"):
        torch.manual_seed(0)
        step, params = make_step()
        print(f"torch {torch.__version__}; torch threads={nt}, OpenBLAS threads={bt}")
        print(f"== {name} params={params}, train {len(X)}, batch {bs}, epochs={epochs}", flush=True)
        walls, cpus = [], []
        for ep in range(epochs):
            perm = torch.randperm(len(X)); mon = CpuMonitor(); c0 = time.process_time(); t0 = time.perf_counter(); tot = 0.0; nb = 0
            for i in range(0, len(X), bs):
                tot += step(X[perm[i:i + bs]]); nb += 1
            walls.append(time.perf_counter() - t0); cpus.append(time.process_time() - c0)
            print(f"  {name} epoch {ep+1:3d} loss_d {tot/nb:.3f} {walls[-1]:6.2f}s {len(X)/walls[-1]:7.1f} img/s cpu {cpus[-1]:6.2f}s "
                  f"{len(X)/cpus[-1]:7.1f} img/cpu-s [other procs {mon.other():.1f} cpu-s]", flush=True)
        w = np.mean(walls[1:] if len(walls) > 1 else walls); c = np.mean(cpus[1:] if len(cpus) > 1 else cpus)
        print(f"  {name}: mean epoch {w:.2f}s (excl. first) -> {len(X)/w:.1f} real img/s; cpu {c:.2f}s per epoch -> {len(X)/c:.1f} img/cpu-s")

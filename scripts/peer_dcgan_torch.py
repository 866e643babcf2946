"""The DCGAN peer of `Latent.Bench train dcgan`: ../shared/peers/ae_torch.py's own G and D (imported from it) and its
run_gan step (BCE with labels 1, 0 for D on B real + B detached fakes, then 1 for G on B new fakes; Adam 2e-4, betas
(0.5, 0.999) each; torch.manual_seed(0) then g, d = G(), D()), in scripts/peer_gan_loop.py's loop, which adds the
process's CPU seconds per epoch and IMAGES (a short run on a loaded machine) to ae_torch.py's wall-clock figures.
Run: THREADS=2 BLAS_THREADS=1 /usr/bin/python3 scripts/peer_dcgan_torch.py   [EPOCHS (default 3), IMAGES, MNIST_DIR, PEERS_DIR]
"""
import os
import torch, torch.nn.functional as Fn
from peer_gan_loop import run
from ae_torch import G, D    # the peer's networks (peer_gan_loop put ../shared/peers on the path)

def make_step():
    g, d = G(), D()
    og = torch.optim.Adam(g.parameters(), lr=2e-4, betas=(0.5, 0.999)); od = torch.optim.Adam(d.parameters(), lr=2e-4, betas=(0.5, 0.999))
    bce = Fn.binary_cross_entropy_with_logits
    def step(x):
        x = x * 2 - 1; b = len(x)
        fake = g(torch.randn(b, 100)).detach()
        lr_, lf_ = d(x), d(fake)
        lossd = bce(lr_, torch.ones_like(lr_)) + bce(lf_, torch.zeros_like(lf_))
        od.zero_grad(); lossd.backward(); od.step()
        out = d(g(torch.randn(b, 100)))
        lossg = bce(out, torch.ones_like(out))
        og.zero_grad(); lossg.backward(); og.step()
        return lossd.item()
    return step, sum(p.numel() for m in (g, d) for p in m.parameters())

if __name__ == "__main__":
    run("DCGAN", make_step, int(os.environ.get("EPOCHS", 3)))

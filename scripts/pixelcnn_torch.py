"""PyTorch peer of Latent's PixelCNN (src/Latent.Models/Autoregressive): the same network, loss and optimiser, for the
training-throughput comparison of scripts/bench-pixelcnn.sh (and a bits/dim curve on the same budget).

Network (van den Oord et al. 2016): input 2x - 1; 7x7 conv mask A (1 -> 2h); B residual blocks
relu, 1x1 (2h -> h), relu, 3x3 mask B (h -> h), relu, 1x1 (h -> 2h), + skip; relu, 1x1 (2h -> O), relu, 1x1 (O -> 256);
per-pixel 256-way cross-entropy on k = round(255 x), mean over pixels; Adam(lr 1e-3), batch 64. Defaults 2h = 32,
B = 4, O = 32 (PixelCnnOptions). The mask is applied as conv2d(x, W * M) in forward, the usual PyTorch PixelCNN.

Env: THREADS (torch threads, default 2), IMAGES (training images, default 6400), MINUTES (time budget, default 10),
EVAL (test images scored at the end, default 0), HIDDEN, BLOCKS, BATCH, MNIST_DIR (shared/peers/mnist_io.py).
Prints images/s after the first 10 batches (the figure compared) and the test bits/dim when EVAL > 0.
"""
import os, sys, time, math
import numpy as np, torch, torch.nn as nn, torch.nn.functional as F

sys.path.insert(0, os.environ.get("PEERS_DIR", os.path.join(os.path.dirname(__file__), "..", "..", "shared", "peers")))
import mnist_io

torch.set_num_threads(int(os.environ.get("THREADS", "2")))
torch.manual_seed(0)

class MaskedConv2d(nn.Conv2d):
    def __init__(self, cin, cout, k, kind):
        super().__init__(cin, cout, k, padding=k // 2)
        m = torch.ones_like(self.weight)
        m[:, :, k // 2, k // 2 + (kind == "B"):] = 0
        m[:, :, k // 2 + 1:, :] = 0
        self.register_buffer("mask", m)
    def forward(self, x):
        return F.conv2d(x, self.weight * self.mask, self.bias, padding=self.padding)

class Block(nn.Module):
    def __init__(self, maps):
        super().__init__()
        h = maps // 2
        self.reduce, self.conv, self.expand = MaskedConv2d(maps, h, 1, "B"), MaskedConv2d(h, h, 3, "B"), MaskedConv2d(h, maps, 1, "B")
    def forward(self, x):
        return x + self.expand(F.relu(self.conv(F.relu(self.reduce(F.relu(x))))))

class PixelCNN(nn.Module):
    def __init__(self, hidden=32, blocks=4, out=32, levels=256):
        super().__init__()
        self.input = MaskedConv2d(1, hidden, 7, "A")
        self.blocks = nn.Sequential(*[Block(hidden) for _ in range(blocks)])
        self.head1, self.head2 = MaskedConv2d(hidden, out, 1, "B"), MaskedConv2d(out, levels, 1, "B")
    def forward(self, x):
        h = self.blocks(self.input(x * 2 - 1))
        return self.head2(F.relu(self.head1(F.relu(h))))

def nll_per_pixel(model, x):
    k = torch.round(x * 255).long().squeeze(1)               # (N, H, W)
    return F.cross_entropy(model(x), k, reduction="none")    # (N, H, W), nats

def main():
    hidden, blocks, bs = int(os.environ.get("HIDDEN", "32")), int(os.environ.get("BLOCKS", "4")), int(os.environ.get("BATCH", "64"))
    budget_images, minutes, n_eval = int(os.environ.get("IMAGES", "6400")), float(os.environ.get("MINUTES", "10")), int(os.environ.get("EVAL", "0"))
    X, _ = mnist_io.load("train")
    X = torch.tensor(X).view(-1, 1, 28, 28)
    model = PixelCNN(hidden, blocks)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    print(f"torch pixelcnn: {sum(p.numel() for p in model.parameters()):,} parameters, {hidden} maps, {blocks} blocks, batch {bs}, "
          f"{torch.get_num_threads()} threads, torch {torch.__version__}; budget {budget_images} images / {minutes} min", flush=True)
    g = torch.Generator().manual_seed(1)
    t0 = time.perf_counter(); images = step = 0; warm_t = warm_i = None; window = []
    while images < budget_images and time.perf_counter() - t0 < minutes * 60:
        perm = torch.randperm(X.shape[0], generator=g)
        for b in range(0, X.shape[0] - bs + 1, bs):
            if images >= budget_images or time.perf_counter() - t0 >= minutes * 60: break
            loss = nll_per_pixel(model, X[perm[b:b + bs]]).mean()
            opt.zero_grad(); loss.backward(); opt.step()
            images += bs; step += 1; window.append(loss.item() / math.log(2))
            if step == 10: warm_t, warm_i = time.perf_counter(), images
            if step % 100 == 0:
                el = time.perf_counter() - t0
                rate = (images - warm_i) / (time.perf_counter() - warm_t)
                print(f"step {step:6d}  images {images:8d}  {el:8.1f} s  train bpd (last {len(window)} batches) {np.mean(window):.4f}  {rate:.1f} img/s", flush=True)
                window = []
    el = time.perf_counter() - t0
    rate = (images - warm_i) / (time.perf_counter() - warm_t) if warm_t else images / el
    print(f"trained {images} images in {el:.1f} s: {rate:.1f} img/s after the first 10 batches", flush=True)
    if n_eval > 0:
        Xt, _ = mnist_io.load("test")
        Xt = torch.tensor(Xt[:n_eval]).view(-1, 1, 28, 28)
        model.eval(); nats = 0.0
        with torch.no_grad():
            for s in range(0, len(Xt), 100): nats += nll_per_pixel(model, Xt[s:s + 100]).sum().item()
        print(f"test: {len(Xt)} images, {nats / (len(Xt) * 784 * math.log(2)):.4f} bits/dim", flush=True)

if __name__ == "__main__":
    main()

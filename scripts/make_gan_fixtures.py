"""Writes tests/Latent.Tests/Fixtures/Gans/dcgan_steps.safetensors: two whole DCGAN training steps of the product's
`gan` model (src/Latent.Models/Gans/GanModel.cs), computed by PyTorch, for tests/Latent.Tests/Models/Gans/
DcganTorchFixtureTests.cs (issue 13: "a whole DCGAN step (D phase and G phase) from PyTorch's initial weights matches
PyTorch's losses and every gradient").

Run: /usr/bin/python3 scripts/make_gan_fixtures.py      (Debian python3-torch 1.13, CPU; no data needed)

The networks are the product's at small sizes (GanOptions: Z 8, images 1 x 16 x 16, G channels 8-4, D channels 4-8),
built with the product's module names, so every tensor below is named as in GanModel.StateTensors():
  G  gen.net:  Linear(Z, 8*4*4) BatchNorm1d ReLU Unflatten(8, 4, 4) ConvT(8, 4, k4, s2, p1) BatchNorm2d ReLU
               ConvT(4, 1, k4, s2, p1) tanh                                       (16 x 16 images in [-1, 1])
  D  disc.trunk.net: Conv(1, 4, k4, s2, p1) LeakyReLU(0.2) Conv(4, 8, k4, s2, p1) [BatchNorm2d] LeakyReLU(0.2) Flatten
     disc.head: Linear(128, 1)            (with spectral norm: every conv and the head wrapped, no batch norm)
Cases (the product's options in brackets):
  ns      non-saturating loss, batch-norm D            [Loss NonSaturating]   (the product's default `gan`)
  hinge   hinge loss, batch-norm D                     [Loss Hinge]
  sn      non-saturating loss, spectrally normalised D [SpectralNorm true]
Each case: torch.manual_seed(0) then G, D built (PyTorch's default init; spectral norm's u, v drawn by PyTorch), then two
training steps of pytorch/examples dcgan/main.py's shape, Adam(2e-4, betas (0.5, 0.999)) per phase, both nets in
training mode, x in [0, 1] seen as 2x - 1:
  (1) update D: maximise log D(x) + log(1 - D(G(z1))), G(z1) detached       (hinge: relu(1 - D(x)) + relu(1 + D(G(z1))))
  (2) update G: maximise log D(G(z2)) (non-saturating; hinge: -D(G(z2)))
The noise of step k is what the product's TrainStep(x, new Rng(seed_k)) draws: z1 = rng.NormalTensor(N, Z), then
z2 = rng.NormalTensor(N, Z) (Rng below replays Latent.Tensors.Rng: xoshiro256** seeded by SplitMix64, Box-Muller on
float32 in chunks of 128 pairs; the product's vectorised log / sin / cos may differ by an ulp, which the test bounds).
Entries ("<case>." prefix):
  init.<name>                 every parameter and buffer of G and D before the first step (spectral norm's weight_u,
                              weight_v included; PyTorch's num_batches_tracked left out: the product has none)
  x                           (N, 1, 16, 16) the batch in [0, 1] (the same both steps)
  step<k>.z1, step<k>.z2      (N, Z) the noise of each phase
  step<k>.terms               (4) loss_d, loss_g, mean sigmoid D(x), mean sigmoid D(G(z1)) (the product's TermNames)
  step<k>.grad_d.<name>       D's gradient of phase (1), d loss_d / d theta_D, at the weights before the step
  step<k>.grad_g.<name>       G's gradient of phase (2), d loss_g / d theta_G
  step<k>.grad_d_acc.<name>   D's .grad after phase (2): phase (1)'s plus d loss_g / d theta_D at D's updated weights
                              (both frameworks accumulate it; the next step's zero_grad clears it)
  step<k>.state.<name>        every parameter and buffer after the step (Adam updates, running statistics, u and v)
Metadata: latent_format_version "1" (Latent's safetensors reader wants it), seeds, sizes, lr, beta1.
"""
import json, os, struct
import numpy as np, torch, torch.nn as nn, torch.nn.functional as F

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "Latent.Tests", "Fixtures", "Gans", "dcgan_steps.safetensors")
N, Z, C, H, W = 8, 8, 1, 16, 16
G_CH, D_CH = (8, 4), (4, 8)
LR, BETA1 = 2e-4, 0.5
SEEDS = (11, 12)          # Rng seed of each step's TrainStep

# ---- Latent.Tensors.Rng, replayed ----
M64 = (1 << 64) - 1

class Rng:
    def __init__(s, seed):
        x = seed
        s.s = []
        for _ in range(4):
            x = (x + 0x9E3779B97F4A7C15) & M64
            z = x
            z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
            z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
            s.s.append(z ^ (z >> 31))

    def next_u64(s):
        s0, s1, s2, s3 = s.s
        rotl = lambda v, k: ((v << k) | (v >> (64 - k))) & M64
        result = (rotl((s1 * 5) & M64, 7) * 9) & M64
        t = (s1 << 17) & M64
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
        s2 ^= t
        s3 = rotl(s3, 45)
        s.s = [s0, s1, s2, s3]
        return result

    def next_float(s):                       # (NextUInt64() >> 40) * 2^-24, exact in float32
        return np.float32((s.next_u64() >> 40) * (1.0 / (1 << 24)))

    def normal(s, count):                    # Rng.Normal: Box-Muller in float32 on chunks of 128 pairs
        out = np.empty(count, np.float32)
        for at in range(0, count, 256):
            pairs = min(128, (count - at + 1) // 2)
            u = np.empty(pairs, np.float32); th = np.empty(pairs, np.float32)
            for j in range(pairs):
                u[j] = np.float32(1) - s.next_float()
                th[j] = s.next_float()
            r = np.sqrt(np.log(u) * np.float32(-2))
            th = th * (np.float32(2) * np.float32(np.pi))
            sin, cos = np.sin(th), np.cos(th)
            for j in range(pairs):
                out[at + 2 * j] = r[j] * cos[j]
                if at + 2 * j + 1 < count: out[at + 2 * j + 1] = r[j] * sin[j]
        return out

# ---- the product's networks, with its module names ----
class Gen(nn.Module):
    def __init__(s):
        super().__init__()
        g0, g1 = G_CH
        s.net = nn.Sequential(nn.Linear(Z, g0 * (H // 4) * (W // 4)), nn.BatchNorm1d(g0 * (H // 4) * (W // 4)), nn.ReLU(),
                              nn.Unflatten(1, (g0, H // 4, W // 4)),
                              nn.ConvTranspose2d(g0, g1, 4, 2, 1), nn.BatchNorm2d(g1), nn.ReLU(),
                              nn.ConvTranspose2d(g1, C, 4, 2, 1), nn.Tanh())
    def forward(s, z): return s.net(z)

class Trunk(nn.Module):
    def __init__(s, sn):
        super().__init__()
        d0, d1 = D_CH
        wrap = nn.utils.spectral_norm if sn else (lambda m: m)
        layers = [wrap(nn.Conv2d(C, d0, 4, 2, 1)), nn.LeakyReLU(0.2), wrap(nn.Conv2d(d0, d1, 4, 2, 1))]
        if not sn: layers.append(nn.BatchNorm2d(d1))
        layers += [nn.LeakyReLU(0.2), nn.Flatten()]
        s.net = nn.Sequential(*layers)
    def forward(s, x): return s.net(x)

class Disc(nn.Module):
    def __init__(s, sn):
        super().__init__()
        s.trunk = Trunk(sn)
        head = nn.Linear(D_CH[1] * (H // 4) * (W // 4), 1)
        s.head = nn.utils.spectral_norm(head) if sn else head
    def forward(s, x): return s.head(s.trunk(x))

class Gan(nn.Module):
    def __init__(s, sn):
        super().__init__()
        s.gen = Gen()
        s.disc = Disc(sn)

entries = {}

def put(name, t):
    a = t.detach().clone().numpy() if isinstance(t, torch.Tensor) else np.asarray(t)
    assert name not in entries, name
    entries[name] = np.ascontiguousarray(a, dtype=np.float32)

def state(model):
    return {k: v for k, v in model.state_dict().items() if not k.endswith("num_batches_tracked")}

def losses(kind, d_real, d_fake):
    """The D and G objectives on logits (pytorch/examples dcgan: BCE with labels 1, 0, then 1; or the hinge pair)."""
    if kind == "hinge":
        return F.relu(1 - d_real).mean() + F.relu(1 + d_fake).mean(), (lambda out: -out.mean())
    bce = F.binary_cross_entropy_with_logits
    return bce(d_real, torch.ones_like(d_real)) + bce(d_fake, torch.zeros_like(d_fake)), \
        (lambda out: bce(out, torch.ones_like(out)))

def case(name, kind, sn, x):
    torch.manual_seed(0)
    m = Gan(sn)
    m.train()
    for k, v in state(m).items(): put(f"{name}.init.{k}", v)
    put(f"{name}.x", x)
    od = torch.optim.Adam(m.disc.parameters(), lr=LR, betas=(BETA1, 0.999))
    og = torch.optim.Adam(m.gen.parameters(), lr=LR, betas=(BETA1, 0.999))
    real = x * 2 - 1                                                          # (N, 1, H, W) in [-1, 1]
    for step, seed in enumerate(SEEDS, 1):
        rng = Rng(seed)
        z1 = torch.from_numpy(rng.normal(N * Z).reshape(N, Z)); z2 = torch.from_numpy(rng.normal(N * Z).reshape(N, Z))
        p = f"{name}.step{step}"
        put(f"{p}.z1", z1); put(f"{p}.z2", z2)
        # (1) update D, G(z1) detached
        fake = m.gen(z1).detach()
        d_real, d_fake = m.disc(real), m.disc(fake)
        loss_d, g_loss = losses(kind, d_real, d_fake)
        od.zero_grad(); loss_d.backward()
        for k, v in m.disc.named_parameters(): put(f"{p}.grad_d.disc.{k}", v.grad)
        od.step()
        # (2) update G on new noise
        loss_g = g_loss(m.disc(m.gen(z2)))
        og.zero_grad(); loss_g.backward()
        for k, v in m.gen.named_parameters(): put(f"{p}.grad_g.gen.{k}", v.grad)
        for k, v in m.disc.named_parameters(): put(f"{p}.grad_d_acc.disc.{k}", v.grad)
        og.step()
        put(f"{p}.terms", torch.tensor([loss_d.item(), loss_g.item(), torch.sigmoid(d_real).mean().item(), torch.sigmoid(d_fake).mean().item()]))
        for k, v in state(m).items(): put(f"{p}.state.{k}", v)
        print(f"{name} step {step}: loss_d {loss_d.item():.6f} loss_g {loss_g.item():.6f}")

def write_safetensors(path, tensors, metadata):
    header, offset = {"__metadata__": metadata}, 0
    for k, a in tensors.items():
        header[k] = {"dtype": "F32", "shape": list(a.shape), "data_offsets": [offset, offset + a.nbytes]}
        offset += a.nbytes
    h = json.dumps(header, separators=(",", ":")).encode("utf-8")
    h += b" " * (-len(h) % 8)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h))); f.write(h)
        for a in tensors.values(): f.write(a.astype("<f4").tobytes())

x = torch.from_numpy(np.random.default_rng(13).uniform(0, 1, size=(N, C, H, W)).astype(np.float32))
case("ns", "nonsaturating", False, x)
case("hinge", "hinge", False, x)
case("sn", "nonsaturating", True, x)
meta = {"latent_format_version": "1", "torch": torch.__version__, "seeds": ",".join(map(str, SEEDS)), "batch": str(N),
        "latent": str(Z), "shape": f"{C},{H},{W}", "generator_channels": ",".join(map(str, G_CH)),
        "discriminator_channels": ",".join(map(str, D_CH)), "lr": str(LR), "beta1": str(BETA1)}
write_safetensors(OUT, entries, meta)
print(f"wrote {len(entries)} tensors to {os.path.normpath(OUT)} ({os.path.getsize(OUT)} bytes)")

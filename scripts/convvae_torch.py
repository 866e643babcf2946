"""The ConvVAE of ../shared/peers/vae_torch.py (seed 001's network), for the scripts that rebuild it:
scripts/make_conv_fixtures.py (one training step as a fixture) and scripts/peer_score_torch.py (the scoring peer).

Encoder: 4 convs (1 -> 32 -> 32 -> 64 -> 64 channels, stride 1, 2, 1, 2) + ReLU, then a linear layer to [mu | logvar];
decoder: a linear layer to (64, 7, 7), then 5 transposed convs (64 -> 64 -> 64 -> 32 -> 32 -> 1) with ReLU between.
The module names (enc.K, dec.K, the nn.Sequential indices) and the order of construction are the peer's: the same
torch.manual_seed gives the same initial weights, and Latent's checkpoint names (enc.net.K, dec.net.K) map onto them.
"""
import torch.nn as nn


class ConvVAE(nn.Module):
    def __init__(s, zdim=20):
        super().__init__()
        s.enc = nn.Sequential(nn.Conv2d(1, 32, 3, 1, 1), nn.ReLU(), nn.Conv2d(32, 32, 3, 2, 1), nn.ReLU(),
                              nn.Conv2d(32, 64, 3, 1, 1), nn.ReLU(), nn.Conv2d(64, 64, 3, 2, 1), nn.ReLU(),
                              nn.Flatten(), nn.Linear(3136, 2 * zdim))
        s.dec = nn.Sequential(nn.Linear(zdim, 3136), nn.ReLU(), nn.Unflatten(1, (64, 7, 7)),
                              nn.ConvTranspose2d(64, 64, 3, 1, 1), nn.ReLU(),
                              nn.ConvTranspose2d(64, 64, 3, 2, 1, output_padding=1), nn.ReLU(),
                              nn.ConvTranspose2d(64, 32, 3, 1, 1), nn.ReLU(),
                              nn.ConvTranspose2d(32, 32, 3, 2, 1, output_padding=1), nn.ReLU(),
                              nn.ConvTranspose2d(32, 1, 3, 1, 1))
        s.z = zdim

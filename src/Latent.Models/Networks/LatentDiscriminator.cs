// The latent-space discriminator of the adversarial autoencoder (Makhzani et al. 2016) and of WAE-GAN (Tolstikhin
// et al. 2018): code (N, Z) -> logit (N, 1) that the code was drawn from the prior N(0, I). The seed study's has
// three dense layers: Linear(Z, h) LeakyReLU(0.2) Linear(h, h) LeakyReLU(0.2) Linear(h, 1), each optionally under
// spectral normalisation (Miyato et al. 2018).
using Latent.Nn;
using Latent.Nn.Layers;
using Latent.Tensors;

namespace Latent.Models.Networks;

/// <summary>The latent-space discriminator of the adversarial autoencoder (Makhzani et al. 2016) and of WAE-GAN (Tolstikhin et al. 2018).</summary>
public sealed class LatentDiscriminator : Module
{
    public LatentDiscriminator(int latent, int hidden, bool spectralNorm, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (latent < 1 || hidden < 1) throw new ArgumentOutOfRangeException(nameof(hidden), $"discriminator sizes must be positive, got latent {latent}, hidden {hidden}.");
        Module L(int i, int o) => spectralNorm ? new SpectralNorm(new Linear(i, o, rng), rng) : new Linear(i, o, rng);
        Net = RegisterModule("net", new Sequential(
            L(latent, hidden), new LeakyRelu(0.2f), L(hidden, hidden), new LeakyRelu(0.2f), L(hidden, 1)));
    }

    public Sequential Net { get; }

    /// <summary>(N, Z) -> (N, 1) logits.</summary>
    public override Tensor Forward(Tensor input) => Net.Forward(input);
}

// Small choices of the autoencoder family: the denoising corruption and the WAE penalty.
namespace Latent.Models.Autoencoders;

/// <summary>Denoising corruption: x + N(0, level^2) (clamped to [0, 1]), or each pixel set to 0 with probability level.</summary>
public enum NoiseKind
{
    Gaussian,
    Masking,
}

/// <summary>The WAE's divergence between the aggregate posterior and the prior: MMD (inverse multiquadric kernel) or a latent GAN.</summary>
public enum WaePenalty
{
    Mmd,
    Gan,
}

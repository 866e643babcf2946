// Capability: an amortised Gaussian posterior q(z | x) = N(mu(x), diag e^logVar(x)) (the VAE family). With
// IGenerator it gives the variational scores: elbo (S fixed draws) and iwae-K (Burda et al. 2016).
using Latent.Tensors;

namespace Latent.Models;

/// <summary>Capability: an amortised Gaussian posterior q(z | x) = N(mu(x), diag e^logVar(x)) (the VAE family).</summary>
public interface IVariationalEncoder : IEncoder
{
    /// <summary>(N, C, H, W) -> mu (N, Z), logVar (N, Z).</summary>
    (Tensor Mu, Tensor LogVar) EncodeGaussian(Tensor x);

    /// <summary>Draws S of q(z | x) behind the elbo score.</summary>
    int ElboSamples { get; }

    /// <summary>Importance samples K of the iwae-K score (0: no iwae score).</summary>
    int IwaeSamples { get; }
}

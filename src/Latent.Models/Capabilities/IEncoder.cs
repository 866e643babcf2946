// Capability: maps an image to a code, z = E(x). Scores that need it: latent-nll, latent-nll-fit, and (with
// IGenerator) recon, combined, jacobian, density-x. The autoencoders have it; a GAN does not (its codes come from
// a latent search), a flow's code is its exact inverse.
using Latent.Tensors;

namespace Latent.Models;

/// <summary>Capability: maps an image to a code, z = E(x).</summary>
public interface IEncoder
{
    /// <summary>Z, the code size.</summary>
    int Latent { get; }

    /// <summary>The deterministic code of x (the posterior mean for a VAE): (N, C, H, W) -> (N, Z).</summary>
    Tensor Encode(Tensor x);
}

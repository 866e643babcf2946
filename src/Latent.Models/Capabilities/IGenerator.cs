// Capability: decodes a code into an image distribution p(x | z) and samples the prior p(z). Sampling grids,
// reconstructions (with IEncoder) and the Jacobian scores come from it. The decoder's output is the likelihood's
// parameter: Bernoulli logits, or Gaussian means (DecoderLikelihood).
using Latent.Nn.Layers;
using Latent.Tensors;

namespace Latent.Models;

/// <summary>p(x | z): Bernoulli with logits G(z) (mean sigmoid G(z)), or Gaussian N(G(z), sigma^2 I) with the optimal
/// scalar sigma^2 (the sigma-VAE, Rybkin et al. 2021: the mean squared error; buffer "dec_log_var").</summary>
public enum DecoderLikelihood
{
    Bernoulli,
    Gaussian,
}

/// <summary>Capability: decodes a code into an image distribution p(x | z) and samples the prior p(z).</summary>
public interface IGenerator
{
    /// <summary>Z, the code size.</summary>
    int Latent { get; }

    /// <summary>The geometry of a generated image.</summary>
    ImageShape Shape { get; }

    DecoderLikelihood Likelihood { get; }

    /// <summary>The decoder network G as one Sequential (its exact Jacobian is taken layer by layer).</summary>
    Sequential DecoderNetwork { get; }

    /// <summary>G(z): (N, Z) -> (N, C, H, W) decoder outputs (Bernoulli logits or Gaussian means).</summary>
    Tensor Decode(Tensor z);

    /// <summary>E[x | z] from the decoder output: sigmoid of the logits (Bernoulli) or the output itself (Gaussian).</summary>
    Tensor Mean(Tensor output);

    /// <summary>-log p(x | z) per sample (N), in nats, from the decoder output and the target x.</summary>
    Tensor ReconstructionNll(Tensor output, Tensor x);

    /// <summary>n codes drawn from the prior the generator was trained against: (n, Z).</summary>
    Tensor SamplePrior(int n, Rng rng);
}

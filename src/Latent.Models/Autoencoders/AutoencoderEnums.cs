// Small choices of the autoencoder family: the decoder's likelihood, the denoising corruption, the WAE penalty,
// the learning-rate schedule.
namespace Latent.Models.Autoencoders;

/// <summary>p(x | z): Bernoulli with logits G(z) (mean sigmoid G(z)), or Gaussian N(G(z), sigma^2 I) with the optimal
/// scalar sigma^2 (the sigma-VAE, Rybkin et al. 2021: the mean squared error; buffer "dec_log_var").</summary>
public enum DecoderLikelihood
{
    Bernoulli,
    Gaussian,
}

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

/// <summary>The learning rate over training: constant, or cosine annealing from the base rate to 0 over all the
/// steps of the run (Loshchilov &amp; Hutter 2017, SGDR without restarts): lr_t = lr 0.5 (1 + cos(pi t / T)).</summary>
public enum LrSchedule
{
    Constant,
    Cosine,
}

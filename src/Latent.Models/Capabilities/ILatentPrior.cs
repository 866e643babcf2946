// Capability: a generator whose prior p(z) is not N(0, I) gives -log p(z) itself (InfoGAN: Gaussian noise, a uniform
// category and uniform continuous codes). latent-nll and combined use it; without it they use N(0, I).
namespace Latent.Models;

/// <summary>Capability: a generator whose prior p(z) is not N(0, I) gives -log p(z) itself (InfoGAN: Gaussian noise, a uniform category and uniform continuous codes).</summary>
public interface ILatentPrior
{
    /// <summary>-log p(z) of one code (Z), in nats.</summary>
    double PriorNll(ReadOnlySpan<float> z);
}

// Capability: an exact log-likelihood (or a bound on it) of an image, in nats: the flows and autoregressive models
// of the exact-likelihood family. Scores that need it: nll and its corrections (likelihood ratio, typicality).
using Latent.Tensors;

namespace Latent.Models;

public interface IDensity
{
    /// <summary>-log p(x) per sample (N), in nats: (N, C, H, W) -> (N).</summary>
    Tensor NegativeLogLikelihood(Tensor x);
}

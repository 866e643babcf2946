// Capability: an exact log-likelihood (or a bound on it) of an image, in nats: the flows and autoregressive models
// of the exact-likelihood family. Scores that need it: nll and its corrections (likelihood ratio, typicality).
using Latent.Tensors;

namespace Latent.Models;

/// <summary>Capability: an exact log-likelihood (or a bound on it) of an image, in nats: the flows and autoregressive models of the exact-likelihood family.</summary>
public interface IDensity
{
    /// <summary>-log P(x) per sample (N), in nats, of the 8-bit image x = k / 255 (Scores/EightBitImages: values
    /// outside [0, 1] or off the grid are an InvalidDataException): (N, C, H, W) -> (N). Bits per dimension are
    /// nll / (D ln 2). A continuous model reports the dequantised bound (Flows/Dequantisation).</summary>
    Tensor NegativeLogLikelihood(Tensor x);
}

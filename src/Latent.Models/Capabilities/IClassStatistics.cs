// Capability: statistics of the training class kept with the model (buffers, saved in its checkpoint), fitted after
// training by ClassStatistics.Fit: the mean and variance of the training codes (latent-nll-fit) and the per-pixel
// noise variance s^2 of x = G(E(x)) + e (combined). Models that can encode and generate carry them.
using Latent.Tensors;

namespace Latent.Models;

/// <summary>Capability: statistics of the training class kept with the model (buffers, saved in its checkpoint), fitted after training by ClassStatistics.Fit: the mean and variance of the training codes (latent-nll-fit) and the per-pixel noise variance s^2 of x = G(E(x)) + e (combined).</summary>
public interface IClassStatistics
{
    /// <summary>(Z) mean and variance of E(x) over the training class.</summary>
    Tensor CodeMean { get; }
    Tensor CodeVar { get; }

    /// <summary>(1) s^2, the per-pixel variance of x - mean(G(E(x))) over the training class.</summary>
    Tensor NoiseVar { get; }
}

// Capability: draws images directly from the model's distribution, without a code to decode (the autoregressive
// models sample pixel by pixel). Sample grids (`latent train`, `latent sample`) use it through PriorSampling.
using Latent.Tensors;

namespace Latent.Models;

public interface ISampler
{
    /// <summary>The geometry of a sampled image.</summary>
    ImageShape Shape { get; }

    /// <summary>n images (n, C, H, W) with values in [0, 1], drawn with <paramref name="rng"/>.</summary>
    Tensor Sample(int n, Rng rng);
}

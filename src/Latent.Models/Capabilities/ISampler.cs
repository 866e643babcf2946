// Capability: draws images from the model's own distribution, with no code to decode (a flow's inverse applied to
// prior draws, an autoregressive model's pixel-by-pixel sampling). Sample grids (PriorSampling, `latent sample`,
// `latent train`'s grid) use it for models that are not IGenerators.
using Latent.Tensors;

namespace Latent.Models;

/// <summary>Capability: draws images from the model's own distribution, with no code to decode (a flow's inverse applied to prior draws, an autoregressive model's pixel-by-pixel sampling).</summary>
public interface ISampler
{
    /// <summary><paramref name="n"/> images (n, C, H, W) in [0, 1] drawn with <paramref name="rng"/>. Inside a step of a
    /// <see cref="BufferPool"/> the result is that step's, valid until it ends, as any op's result (the sample grid after
    /// every epoch reads it there and keeps nothing); outside any step it is the caller's to keep.</summary>
    Tensor Sample(int n, Rng rng);
}

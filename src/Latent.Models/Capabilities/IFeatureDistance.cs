// Capability: a distance between an image and its reconstruction measured in a discriminator's hidden features
// (ALAD, Zenati et al. 2018, sec. 4: ||f(x, E(x)) - f(G(E(x)), E(x))||_1). Score "feature", higher = more novel.
using Latent.Tensors;

namespace Latent.Models;

/// <summary>Capability: a distance between an image and its reconstruction measured in a discriminator's hidden features (ALAD, Zenati et al. 2018, sec. 4: ||f(x, E(x)) - f(G(E(x)), E(x))||_1).</summary>
public interface IFeatureDistance
{
    /// <summary>The feature distance per sample: (N, C, H, W) images in [0, 1] -> (N).</summary>
    Tensor FeatureDistance(Tensor x);
}

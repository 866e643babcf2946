// Capability: a discriminator (critic) trained to tell the class's images from generated ones, which scores an image
// by how fake it looks: the GAN family. Score "discriminator" = -log D(x) = softplus(-logit(x)) (for BiGAN, the
// joint D(x, E(x))), higher = more novel.
using Latent.Tensors;

namespace Latent.Models;

/// <summary>Capability: a discriminator (critic) trained to tell the class's images from generated ones, which scores an image by how fake it looks: the GAN family.</summary>
public interface ICritic
{
    /// <summary>-log D(x) per sample, in nats: (N, C, H, W) images in [0, 1] -> (N).</summary>
    Tensor CriticNll(Tensor x);
}

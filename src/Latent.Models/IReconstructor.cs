// A class model that maps a sample to its latent code and back, for reports (reconstructions beside their inputs,
// plots of the codes): PCA (z = U_k^T (x - mean), x' = mean + U_k z) and GenerativeScores, whose models reconstruct
// when they can encode and generate (CanReconstruct: the autoencoders, BiGAN, InfoGAN, and a DCGAN by latent search;
// not the flows or PixelCNN, which have no codes).
namespace Latent.Models;

/// <summary>A class model that maps a sample to its latent code and back, for reports (reconstructions beside their inputs, plots of the codes).</summary>
public interface IReconstructor
{
    /// <summary>(N, Z) latent codes of the samples.</summary>
    float[] Encode(Samples x);

    /// <summary>(N, D) reconstructions of the samples.</summary>
    float[] Reconstruct(Samples x);
}

// A class model that maps a sample to its latent code and back, for reports (reconstructions beside their inputs,
// plots of the codes): PCA (z = U_k^T (x - mean), x' = mean + U_k z) and every generative model that can encode and
// generate (GenerativeScores, for the autoencoders).
namespace Latent.Models;

public interface IReconstructor
{
    /// <summary>(N, Z) latent codes of the samples.</summary>
    float[] Encode(Samples x);

    /// <summary>(N, D) reconstructions of the samples.</summary>
    float[] Reconstruct(Samples x);
}

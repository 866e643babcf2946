// A class model that maps a sample to its latent code and back: reports show the reconstructions
// beside their inputs and plot the codes. PCA does (z = U_k^T (x - mean), x' = mean + U_k z); the
// deep autoencoders will.
namespace Latent.Models;

public interface IReconstructor
{
    /// <summary>(N, Z) latent codes of the samples.</summary>
    float[] Encode(Samples x);

    /// <summary>(N, D) reconstructions of the samples.</summary>
    float[] Reconstruct(Samples x);
}

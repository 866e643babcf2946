// The perturbation that trains a background model (Ren et al. 2019, "Likelihood ratios for out-of-distribution
// detection", sec. 4): each pixel value is replaced, with probability mu, by a level drawn uniformly from the L levels,
//   k~_i = u_i ~ U{0, ..., L - 1}   with probability mu,   k_i otherwise.
// One draw per value in order (a uniform float, then the level when it falls below mu), so a run is reproducible from
// its Rng. The flows mutate 8-bit levels, PixelCNN its images on the grid k / (L - 1); both go through Draw.
using Latent.Tensors;

namespace Latent.Models.Scores;

/// <summary>The perturbation that trains a background model (Ren et al. 2019, "Likelihood ratios for out-of-distribution detection", sec. 4).</summary>
public static class PixelMutation
{
    /// <summary>The level replacing one value (0 .. levels - 1), or -1 to keep it.</summary>
    public static int Draw(int levels, float rate, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        return rng.NextFloat() < rate ? rng.NextInt(levels) : -1;
    }

    /// <summary>Mutates 8-bit levels k (N D) in place.</summary>
    public static void Mutate(Span<byte> k, float rate, Rng rng)
    {
        for (int i = 0; i < k.Length; i++)
            if (Draw(256, rate, rng) is int l and >= 0) k[i] = (byte)l;
    }

    /// <summary>Mutates images x (N D) holding k / (levels - 1) in place.</summary>
    public static void Mutate(Span<float> x, int levels, float rate, Rng rng)
    {
        if (levels < 2) throw new ArgumentOutOfRangeException(nameof(levels), levels, "a pixel takes at least 2 levels.");
        for (int i = 0; i < x.Length; i++)
            if (Draw(levels, rate, rng) is int l and >= 0) x[i] = l / (float)(levels - 1);
    }
}

// Corruptions for the denoising study (seed 003, fig. 9.6), seeded and repeatable: additive Gaussian noise
// x~ = clip(x + sigma e, 0, 1), e ~ N(0, 1) per pixel, and salt-and-pepper noise, where each pixel is replaced with
// probability p by 0 or 1 (even odds). The same seed gives the same noise.
using Latent.Tensors;

namespace Latent.Models.Exploration;

/// <summary>The corruption of the denoising study: additive Gaussian noise, or salt-and-pepper noise.</summary>
public enum NoiseType
{
    Gaussian,
    SaltPepper,
}

/// <summary>Seeded, repeatable corruptions of images in [0, 1]: Gaussian noise clipped to [0, 1], or salt-and-pepper noise.</summary>
public static class ImageNoise
{
    /// <summary>A corrupted copy of <paramref name="x"/> (values in [0, 1]) at <paramref name="level"/> (sigma, or p).</summary>
    public static float[] Apply(ReadOnlySpan<float> x, NoiseType type, double level, ulong seed)
    {
        if (!double.IsFinite(level) || level < 0) throw new ArgumentException($"noise level {level} must be a finite number >= 0.");
        if (type == NoiseType.SaltPepper && level > 1) throw new ArgumentException($"salt-and-pepper level {level} is a probability; give 0 to 1.");
        var rng = new Rng(seed);
        var y = x.ToArray();
        if (type == NoiseType.Gaussian)
        {
            var e = new float[y.Length];
            rng.Normal(e);
            for (int i = 0; i < y.Length; i++) y[i] = Math.Clamp(y[i] + (float)level * e[i], 0f, 1f);
        }
        else
            for (int i = 0; i < y.Length; i++)
            {
                double u = rng.NextDouble();
                if (u < level) y[i] = u < level / 2 ? 0f : 1f;
            }
        return y;
    }
}

// The convention every exact-likelihood model (IDensity) shares: an image handed to it holds 8-bit values k / 255,
// k in {0, ..., 255}, as the data loaders make them (Idx: pixels / 255f). NegativeLogLikelihood returns -log P(k) of
// the discrete image in nats, and bits per dimension = nll / (D ln 2), as in the published tables.
// A value outside [0, 1], or more than Tolerance of a level away from the grid k / 255, is an InvalidDataException:
// a density of 8-bit images cannot score a rescaled or interpolated image without silently changing it.
namespace Latent.Models.Scores;

/// <summary>The convention every exact-likelihood model (IDensity) shares: an image handed to it holds 8-bit values k / 255, k in {0, ..., 255}, as the data loaders make them (Idx: pixels / 255f).</summary>
public static class EightBitImages
{
    /// <summary>Largest distance (in levels) of 255 x from the nearest whole number: float rounding of k / 255f only.</summary>
    public const float Tolerance = 1e-3f;

    /// <summary>k = round(255 x) for every value (D per sample), or an InvalidDataException naming the first bad one.</summary>
    public static void Levels(ReadOnlySpan<float> x, Span<byte> k, int dim)
    {
        if (k.Length != x.Length) throw new ArgumentException($"levels buffer holds {k.Length} values, the images {x.Length}.");
        for (int i = 0; i < x.Length; i++)
        {
            float v = x[i];
            if (!(v >= 0f && v <= 1f))
                throw new InvalidDataException($"pixel {i % dim} of image {i / dim} is {v}, outside [0, 1]: an 8-bit density takes images with values k / 255; rescale the input to [0, 1] first.");
            float s = v * 255f, r = MathF.Round(s);
            if (MathF.Abs(s - r) > Tolerance)
                throw new InvalidDataException($"pixel {i % dim} of image {i / dim} is {v}, not an 8-bit level k / 255 (255 x = {s}): an 8-bit density cannot score an interpolated image; give the original 8-bit images.");
            k[i] = (byte)r;
        }
    }

    /// <summary>The levels of (N, D) images as a new array.</summary>
    public static byte[] Levels(ReadOnlySpan<float> x, int dim)
    {
        var k = new byte[x.Length];
        Levels(x, k, dim);
        return k;
    }

    /// <summary>Bits per dimension of a negative log-likelihood in nats over <paramref name="dim"/> values.</summary>
    public static double BitsPerDim(double nllNats, int dim) => nllNats / (dim * Math.Log(2));
}

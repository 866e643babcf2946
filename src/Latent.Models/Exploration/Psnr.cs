// Peak signal-to-noise ratio of images in [0, 1] against their clean originals: PSNR = 10 log10(1 / MSE) dB, with the
// MSE over every pixel of the set (one figure per set, as the denoising literature reports it). Identical images give
// +infinity.
namespace Latent.Models.Exploration;

/// <summary>Peak signal-to-noise ratio of images in [0, 1] against their clean originals.</summary>
public static class Psnr
{
    /// <summary>10 log10(1 / mean((x - y)^2)) in dB.</summary>
    public static double Of(ReadOnlySpan<float> clean, ReadOnlySpan<float> other)
    {
        if (clean.Length != other.Length || clean.Length == 0)
            throw new ArgumentException($"PSNR needs two non-empty sets of the same size, got {clean.Length} and {other.Length} values.");
        double s = 0;
        for (int i = 0; i < clean.Length; i++)
        {
            double e = clean[i] - other[i];
            s += e * e;
        }
        double mse = s / clean.Length;
        return mse == 0 ? double.PositiveInfinity : 10 * Math.Log10(1 / mse);
    }
}

// The mass of an image spread over position and local orientation, for the earth mover's distance between oriented
// strokes: each pixel's mass (the unit-mass plane of SlicedWasserstein.Mass) goes to the orientation bin of the image's
// structure tensor there, J = sum over the 3 x 3 window of (gx^2, gx gy, gy^2) with Sobel gradients, whose dominant
// orientation is theta = atan2(2 Jxy, Jxx - Jyy) / 2 in [0, pi) (undirected: a stroke's two edges agree), linearly
// split between the two nearest of B bins (bin b centred on b pi / B); a pixel without structure (J = 0) spreads its
// mass evenly over the bins. The result is pooled over f x f blocks per bin, laid out (Ho, Wo, B), and sums to 1.
// With it, the EMD pays both for moving mass and for turning it (EarthMovers.Distance's turn cost per bin), so a 5's
// vertical top-left stroke no longer matches a 3's curve at the same place for free.
namespace Latent.Models.Classical;

/// <summary>Unit mass over (pooled position, orientation bin) from a unit-mass plane.</summary>
public static class OrientedMass
{
    /// <summary>dst (Ho, Wo, B) with Ho = ceil(H / f), Wo = ceil(W / f): the mass of m (H, W; unit mass) by pooled
    /// position and structure-tensor orientation bin. With B = 1 it equals EarthMovers.Downsample.</summary>
    public static void Compute(ReadOnlySpan<float> m, int h, int w, int bins, int f, Span<float> dst)
    {
        if (bins < 1) throw new ArgumentOutOfRangeException(nameof(bins), $"the orientation bins must be at least 1, got {bins}.");
        if (f < 1) throw new ArgumentOutOfRangeException(nameof(f), $"the pooling factor must be at least 1, got {f}.");
        if (m.Length != h * w) throw new ArgumentException($"a plane of {h} x {w} has {h * w} values, got {m.Length}.");
        int ho = (h + f - 1) / f, wo = (w + f - 1) / f;
        if (dst.Length < ho * wo * bins) throw new ArgumentException($"the oriented mass needs {ho * wo * bins} values, got {dst.Length}.");
        dst[..(ho * wo * bins)].Clear();
        var gx = new float[h * w];
        var gy = new float[h * w];
        Sobel.Gradients(m, h, w, gx, gy);
        for (int r = 0; r < h; r++)
            for (int c = 0; c < w; c++)
            {
                float mass = m[r * w + c];
                if (mass <= 0) continue;
                int cell = (r / f * wo + c / f) * bins;
                if (bins == 1) { dst[cell] += mass; continue; }
                double jxx = 0, jxy = 0, jyy = 0;
                for (int dr = -1; dr <= 1; dr++)
                    for (int dc = -1; dc <= 1; dc++)
                    {
                        int rr = r + dr, cc = c + dc;
                        if (rr < 0 || rr >= h || cc < 0 || cc >= w) continue;
                        double x = gx[rr * w + cc], y = gy[rr * w + cc];
                        jxx += x * x;
                        jxy += x * y;
                        jyy += y * y;
                    }
                if (jxx + jyy <= 0)
                {
                    for (int b = 0; b < bins; b++) dst[cell + b] += mass / bins;
                    continue;
                }
                double theta = 0.5 * Math.Atan2(2 * jxy, jxx - jyy);           // (-pi/2, pi/2]
                double t = (theta < 0 ? theta + Math.PI : theta) / Math.PI * bins;  // [0, B]
                int b0 = (int)Math.Floor(t);
                double frac = t - b0;
                b0 %= bins;
                dst[cell + b0] += (float)(mass * (1 - frac));
                dst[cell + (b0 + 1) % bins] += (float)(mass * frac);
            }
    }

    /// <summary>The bins between two orientation bins on the circle of B bins (at most B / 2).</summary>
    public static int BinDistance(int a, int b, int bins)
    {
        int d = Math.Abs(a - b) % bins;
        return Math.Min(d, bins - d);
    }
}

// Image moments and the affine bilinear warp that deskewing, centring and test-time augmentation are made of.
// Coordinates are (row r, column c) of pixel centres, 0 .. H-1 and 0 .. W-1. Warp computes, for every output pixel p,
//   dst[p] = src(A p + b)      (A = [[a00, a01], [a10, a11]] acting on (r, c); b = (b0, b1))
// by bilinear interpolation with zeros outside the image (as scipy.ndimage.affine_transform, order 1, mode
// 'constant'). One (H, W) plane per call; span in, span out, allocation-free.
namespace Latent.Models.Invariance;

/// <summary>Image moments and the affine bilinear warp that deskewing, centring and test-time augmentation are made of.</summary>
public static class ImageWarp
{
    /// <summary>dst (H, W) = src (H, W) sampled at A (r, c) + b, bilinear, zero outside.</summary>
    public static void Warp(ReadOnlySpan<float> src, int h, int w, double a00, double a01, double a10, double a11, double b0, double b1, Span<float> dst)
    {
        if (src.Length != h * w || dst.Length != h * w) throw new ArgumentException($"warp needs {h * w} values in and out, got {src.Length} and {dst.Length}.");
        for (int r = 0; r < h; r++)
            for (int c = 0; c < w; c++)
                dst[r * w + c] = Sample(src, h, w, a00 * r + a01 * c + b0, a10 * r + a11 * c + b1);
    }

    /// <summary>The bilinear value of src (H, W) at (y, x), zero outside.</summary>
    public static float Sample(ReadOnlySpan<float> src, int h, int w, double y, double x)
    {
        if (y <= -1 || x <= -1 || y >= h || x >= w) return 0f;
        int r0 = (int)Math.Floor(y), c0 = (int)Math.Floor(x);
        double fy = y - r0, fx = x - c0;
        double v = 0;
        for (int dr = 0; dr <= 1; dr++)
        {
            int r = r0 + dr;
            if (r < 0 || r >= h) continue;
            double wy = dr == 0 ? 1 - fy : fy;
            for (int dc = 0; dc <= 1; dc++)
            {
                int c = c0 + dc;
                if (c < 0 || c >= w) continue;
                v += wy * (dc == 0 ? 1 - fx : fx) * src[r * w + c];
            }
        }
        return (float)v;
    }

    /// <summary>Mass m = sum of the plane, centroid (mr, mc), and second central moments var(r), cov(r, c), var(c),
    /// with the pixel values as weights (negative values clamped at 0). An empty plane has m = 0 and the centre as
    /// centroid.</summary>
    public static (double Mass, double Mr, double Mc, double Vrr, double Vrc, double Vcc) Moments(ReadOnlySpan<float> src, int h, int w)
    {
        double m = 0, sr = 0, sc = 0;
        for (int r = 0; r < h; r++)
            for (int c = 0; c < w; c++)
            {
                double v = Math.Max(0f, src[r * w + c]);
                m += v;
                sr += v * r;
                sc += v * c;
            }
        if (m <= 0) return (0, (h - 1) / 2.0, (w - 1) / 2.0, 0, 0, 0);
        double mr = sr / m, mc = sc / m, vrr = 0, vrc = 0, vcc = 0;
        for (int r = 0; r < h; r++)
            for (int c = 0; c < w; c++)
            {
                double v = Math.Max(0f, src[r * w + c]);
                vrr += v * (r - mr) * (r - mr);
                vrc += v * (r - mr) * (c - mc);
                vcc += v * (c - mc) * (c - mc);
            }
        return (m, mr, mc, vrr / m, vrc / m, vcc / m);
    }
}

// Two-sided tangent distance (Simard, LeCun, Denker and Victorri, "Transformation invariance in pattern recognition:
// tangent distance and tangent propagation", 1998; Keysers et al. 2004): the distance between the planes that small
// transformations of x and of t span to first order,
//   TD(x, t)^2 = min_{a, b} || (x + Tx a) - (t + Tt b) ||^2 + lambda (|| Tx a ||^2 + || Tt b ||^2)
// with Tx, Tt (D, 7) the tangent vectors of each image for the transformations
//   shift c, shift r, rotation, scale, parallel hyperbolic, diagonal hyperbolic (the two shears), line thickness
// computed from the image smoothed by a Gaussian (sigma 1 pixel), with (x, y) = (c - oc, r - or) about the centre
// and (gx, gy) its derivatives along c and r (central differences):
//   gx, gy, y gx - x gy, x gx + y gy, x gx - y gy, y gx + x gy, gx^2 + gy^2.
// The minimum is a 14 x 14 least-squares problem, solved from its normal equations in double (Cholesky); lambda
// (relative to each tangent's squared norm) is a small spring that keeps the linearisation from moving far. For a
// multi-channel image the same transformation moves every channel (one tangent over all C H W values).
using System.Numerics.Tensors;

namespace Latent.Models.Classical;

/// <summary>Two-sided tangent distance (Simard, LeCun, Denker and Victorri, "Transformation invariance in pattern recognition.</summary>
public static class TangentDistance
{
    /// <summary>Tangents per image.</summary>
    public const int Count = 7;

    /// <summary>The default spring: lambda in units of each tangent's squared norm.</summary>
    public const double DefaultSpring = 0.01;

    /// <summary>t (7, D) the tangent vectors of one (C, H, W) image; <paramref name="scratch"/> holds 3 H W values.</summary>
    public static void Tangents(ReadOnlySpan<float> img, ImageShape shape, Span<float> t, Span<float> scratch)
    {
        int ch = shape.Channels, h = shape.Height, w = shape.Width, hw = h * w, d = shape.Dim;
        if (img.Length != d || t.Length != Count * d || scratch.Length < 3 * hw) throw new ArgumentException($"tangents need {d} values, {Count * d} out and {3 * hw} scratch.");
        Span<float> blur = scratch[..hw], tmp = scratch.Slice(hw, hw);
        double or = (h - 1) / 2.0, oc = (w - 1) / 2.0;
        for (int k = 0; k < ch; k++)
        {
            Smooth(img.Slice(k * hw, hw), h, w, blur, tmp);
            for (int r = 0; r < h; r++)
                for (int c = 0; c < w; c++)
                {
                    float gx = 0.5f * (At(blur, h, w, r, c + 1) - At(blur, h, w, r, c - 1));
                    float gy = 0.5f * (At(blur, h, w, r + 1, c) - At(blur, h, w, r - 1, c));
                    float x = (float)(c - oc), y = (float)(r - or);
                    int p = k * hw + r * w + c;
                    t[p] = gx;
                    t[d + p] = gy;
                    t[2 * d + p] = y * gx - x * gy;
                    t[3 * d + p] = x * gx + y * gy;
                    t[4 * d + p] = x * gx - y * gy;
                    t[5 * d + p] = y * gx + x * gy;
                    t[6 * d + p] = gx * gx + gy * gy;
                }
        }
    }

    /// <summary>g (7, 7): the Gram matrix of one image's tangents t (7, D), g[i, j] = t_i . t_j (the float dots Distance
    /// takes), so that an image met many times (a test image and its candidates, a candidate and its test images) pays
    /// for its own dots once.</summary>
    public static void Gram(ReadOnlySpan<float> t, Span<float> g)
    {
        int d = t.Length / Count;
        if (t.Length != Count * d || g.Length != Count * Count) throw new ArgumentException($"a Gram matrix needs {Count} tangents and {Count * Count} floats.");
        for (int i = 0; i < Count; i++)
            for (int j = 0; j <= i; j++) g[i * Count + j] = g[j * Count + i] = TensorPrimitives.Dot(t.Slice(i * d, d), t.Slice(j * d, d));
    }

    /// <summary>The two-sided tangent distance (not squared) between x and t (D) with tangents tx, tt (7, D).</summary>
    public static double Distance(ReadOnlySpan<float> x, ReadOnlySpan<float> tx, ReadOnlySpan<float> t, ReadOnlySpan<float> tt, Span<float> diff, double spring = DefaultSpring)
    {
        Span<float> gx = stackalloc float[Count * Count], gt = stackalloc float[Count * Count];
        Gram(tx, gx);
        Gram(tt, gt);
        return Distance(x, tx, gx, t, tt, gt, diff, spring);
    }

    /// <summary>The two-sided tangent distance with the tangents' Gram matrices gx, gt (7, 7) already computed (Gram): the
    /// same bits as the overload without them.</summary>
    public static double Distance(ReadOnlySpan<float> x, ReadOnlySpan<float> tx, ReadOnlySpan<float> gx, ReadOnlySpan<float> t, ReadOnlySpan<float> tt,
        ReadOnlySpan<float> gt, Span<float> diff, double spring = DefaultSpring)
    {
        int d = x.Length;
        const int K = 2 * Count;
        TensorPrimitives.Subtract(x, t, diff);   // (D) x - t
        // columns of M (D, 14): tx_i, then -tt_j; minimise || diff + M c ||^2 + lambda sum_i c_i^2 ||M_i||^2
        Span<double> a = stackalloc double[K * K];
        Span<double> rhs = stackalloc double[K];
        Span<double> norms = stackalloc double[K];   // ||M_i||^2
        for (int i = 0; i < K; i++)
        {
            var mi = Column(tx, tt, i, d);
            double si = i < Count ? 1 : -1;
            rhs[i] = -si * TensorPrimitives.Dot(mi, diff);
            for (int j = 0; j <= i; j++)
            {
                double sj = j < Count ? 1 : -1;
                float dot = i < Count ? gx[i * Count + j]
                    : j >= Count ? gt[(i - Count) * Count + j - Count]
                    : TensorPrimitives.Dot(mi, Column(tx, tt, j, d));        // the cross terms tt_i . tx_j
                a[i * K + j] = a[j * K + i] = si * sj * dot;
            }
            norms[i] = i < Count ? gx[i * Count + i] : gt[(i - Count) * Count + i - Count];
        }
        // the spring, plus a relative 1e-10 so that identical tangents of x and t (x = t) keep the system solvable
        for (int i = 0; i < K; i++) a[i * K + i] = a[i * K + i] * (1 + spring + 1e-10) + 1e-12;
        if (!SolveCholesky(a, rhs, K)) return Math.Sqrt(TensorPrimitives.Dot(diff, diff));
        // residual: || diff + M c ||^2 + lambda sum c_i^2 ||M_i||^2
        double res = 0;
        for (int p = 0; p < d; p++)
        {
            double v = diff[p];
            for (int i = 0; i < Count; i++) v += rhs[i] * tx[i * d + p] - rhs[Count + i] * tt[i * d + p];
            res += v * v;
        }
        for (int i = 0; i < K; i++) res += spring * rhs[i] * rhs[i] * norms[i];
        return Math.Sqrt(Math.Max(res, 0));
    }

    private static ReadOnlySpan<float> Column(ReadOnlySpan<float> tx, ReadOnlySpan<float> tt, int i, int d) =>
        i < Count ? tx.Slice(i * d, d) : tt.Slice((i - Count) * d, d);

    /// <summary>Solves a x = b in place (b becomes x) for symmetric positive definite a (K, K); false when not positive definite.</summary>
    private static bool SolveCholesky(Span<double> a, Span<double> b, int k)
    {
        for (int j = 0; j < k; j++)
        {
            double s = a[j * k + j];
            for (int p = 0; p < j; p++) s -= a[j * k + p] * a[j * k + p];
            if (!(s > 0)) return false;
            double l = Math.Sqrt(s);
            a[j * k + j] = l;
            for (int i = j + 1; i < k; i++)
            {
                double v = a[i * k + j];
                for (int p = 0; p < j; p++) v -= a[i * k + p] * a[j * k + p];
                a[i * k + j] = v / l;
            }
        }
        for (int i = 0; i < k; i++)   // L y = b
        {
            double v = b[i];
            for (int p = 0; p < i; p++) v -= a[i * k + p] * b[p];
            b[i] = v / a[i * k + i];
        }
        for (int i = k - 1; i >= 0; i--)   // L^T x = y
        {
            double v = b[i];
            for (int p = i + 1; p < k; p++) v -= a[p * k + i] * b[p];
            b[i] = v / a[i * k + i];
        }
        return true;
    }

    private static float At(ReadOnlySpan<float> img, int h, int w, int r, int c) => r < 0 || r >= h || c < 0 || c >= w ? 0f : img[r * w + c];

    // Separable Gaussian blur, sigma 1, radius 3, zero outside.
    private static void Smooth(ReadOnlySpan<float> src, int h, int w, Span<float> dst, Span<float> tmp)
    {
        ReadOnlySpan<float> g = [0.00443f, 0.05400f, 0.24203f, 0.39894f, 0.24203f, 0.05400f, 0.00443f];
        for (int r = 0; r < h; r++)
            for (int c = 0; c < w; c++)
            {
                float v = 0;
                for (int q = -3; q <= 3; q++) v += g[q + 3] * At(src, h, w, r, c + q);
                tmp[r * w + c] = v;
            }
        for (int r = 0; r < h; r++)
            for (int c = 0; c < w; c++)
            {
                float v = 0;
                for (int q = -3; q <= 3; q++) v += g[q + 3] * At(tmp, h, w, r + q, c);
                dst[r * w + c] = v;
            }
    }
}

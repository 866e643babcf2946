// Sample mean and covariance of the rows of X, in double precision:
//   mean = (1/N) sum_p x_p,   C = Xc^T Xc / (N - 1),   Xc = X - mean      X: (N, D) float32
// The D x D product runs as a register-tiled kernel (4 x 3 tiles of dot products, Vector256<double>
// FMA over samples, cache-blocked over samples) on a transposed, centred double copy, parallel over
// tile rows with a fixed partition (each C entry is summed by one thread in a fixed order, so the
// result does not depend on the thread count). MathNet's managed multiply is ~20x slower here.
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Latent.Models.Linalg;

/// <summary>Sample mean and covariance of the rows of X, in double precision.</summary>
public static class Covariance
{
    private const int PBlock = 1024; // samples per cache block: 7 rows x 8 KB stay in L1

    /// <summary>Returns (mean (D), covariance (D, D) row-major). Needs N >= 2.</summary>
    public static (double[] Mean, double[] Cov) Compute(ReadOnlySpan<float> x, int n, int d)
    {
        if (n < 2) throw new ArgumentException($"a covariance needs at least 2 samples, got {n}.");
        if (x.Length != (long)n * d) throw new ArgumentException($"{x.Length} values do not make {n} samples of dimension {d}.");
        var mean = new double[d];
        for (int p = 0; p < n; p++)
        {
            ReadOnlySpan<float> row = x.Slice(p * d, d);
            for (int j = 0; j < d; j++) mean[j] += row[j];
        }
        for (int j = 0; j < d; j++) mean[j] /= n;

        int np = (n + 3) & ~3; // pad samples to whole vectors with zeros
        var xt = new double[(long)d * np]; // (D, Np) centred, transposed
        for (int p = 0; p < n; p++)
        {
            ReadOnlySpan<float> row = x.Slice(p * d, d);
            for (int j = 0; j < d; j++) xt[(long)j * np + p] = row[j] - mean[j];
        }

        var cov = new double[(long)d * d];
        int tiles = (d + 3) / 4;
        Parallel.For(0, tiles, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount },
            t => UpperTileRow(xt, np, d, 4 * t, Math.Min(4, d - 4 * t), cov));
        double inv = 1.0 / (n - 1);
        for (int i = 0; i < d; i++)
            for (int j = i; j < d; j++)
            {
                double v = cov[(long)i * d + j] * inv;
                cov[(long)i * d + j] = v;
                cov[(long)j * d + i] = v;
            }
        return (mean, cov);
    }

    // C[i0 .. i0+rows, j] for j >= i0 (a few entries left of the diagonal are computed and ignored).
    private static void UpperTileRow(double[] xt, int np, int d, int i0, int rows, double[] cov)
    {
        for (int p0 = 0; p0 < np; p0 += PBlock)
        {
            int len = Math.Min(PBlock, np - p0);
            int j = i0;
            if (rows == 4)
                for (; j + 3 <= d; j += 3) Tile4x3(xt, np, p0, len, i0, j, cov, d);
            for (; j < d; j++)
                for (int r = 0; r < rows; r++)
                    cov[(long)(i0 + r) * d + j] += TensorPrimitives.Dot(
                        new ReadOnlySpan<double>(xt, (i0 + r) * np + p0, len),
                        new ReadOnlySpan<double>(xt, j * np + p0, len));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile4x3(double[] xt, int np, int p0, int len, int i0, int j0, double[] cov, int d)
    {
        ref double a0 = ref xt[i0 * np + p0];
        ref double a1 = ref xt[(i0 + 1) * np + p0];
        ref double a2 = ref xt[(i0 + 2) * np + p0];
        ref double a3 = ref xt[(i0 + 3) * np + p0];
        ref double b0 = ref xt[j0 * np + p0];
        ref double b1 = ref xt[(j0 + 1) * np + p0];
        ref double b2 = ref xt[(j0 + 2) * np + p0];
        Vector256<double> c00 = default, c01 = default, c02 = default, c10 = default, c11 = default, c12 = default;
        Vector256<double> c20 = default, c21 = default, c22 = default, c30 = default, c31 = default, c32 = default;
        for (int p = 0; p < len; p += 4)
        {
            nuint o = (nuint)p;
            var v0 = Vector256.LoadUnsafe(ref b0, o);
            var v1 = Vector256.LoadUnsafe(ref b1, o);
            var v2 = Vector256.LoadUnsafe(ref b2, o);
            var u = Vector256.LoadUnsafe(ref a0, o);
            c00 = Vector256.FusedMultiplyAdd(u, v0, c00); c01 = Vector256.FusedMultiplyAdd(u, v1, c01); c02 = Vector256.FusedMultiplyAdd(u, v2, c02);
            u = Vector256.LoadUnsafe(ref a1, o);
            c10 = Vector256.FusedMultiplyAdd(u, v0, c10); c11 = Vector256.FusedMultiplyAdd(u, v1, c11); c12 = Vector256.FusedMultiplyAdd(u, v2, c12);
            u = Vector256.LoadUnsafe(ref a2, o);
            c20 = Vector256.FusedMultiplyAdd(u, v0, c20); c21 = Vector256.FusedMultiplyAdd(u, v1, c21); c22 = Vector256.FusedMultiplyAdd(u, v2, c22);
            u = Vector256.LoadUnsafe(ref a3, o);
            c30 = Vector256.FusedMultiplyAdd(u, v0, c30); c31 = Vector256.FusedMultiplyAdd(u, v1, c31); c32 = Vector256.FusedMultiplyAdd(u, v2, c32);
        }
        long r0 = (long)i0 * d + j0;
        cov[r0] += Vector256.Sum(c00); cov[r0 + 1] += Vector256.Sum(c01); cov[r0 + 2] += Vector256.Sum(c02);
        r0 += d;
        cov[r0] += Vector256.Sum(c10); cov[r0 + 1] += Vector256.Sum(c11); cov[r0 + 2] += Vector256.Sum(c12);
        r0 += d;
        cov[r0] += Vector256.Sum(c20); cov[r0 + 1] += Vector256.Sum(c21); cov[r0 + 2] += Vector256.Sum(c22);
        r0 += d;
        cov[r0] += Vector256.Sum(c30); cov[r0 + 1] += Vector256.Sum(c31); cov[r0 + 2] += Vector256.Sum(c32);
    }
}

// The convolution kernels' parallel loop over the batch and the single-threaded GEMM they call inside each part:
// thin wrappers over Threading.KernelThreads (fixed partition: part t of T always gets the same images, so results
// depend on the thread count only, never on scheduling) and Gemm.SgemmSingleThread.
using System.Runtime.Intrinsics;
using Latent.Tensors.Threading;

namespace Latent.Tensors.Kernels;

internal static class ConvParallel
{
    /// <summary>Number of parts KernelThreads.For uses for `count` items: min(KernelThreads.Count, count), at least 1.</summary>
    public static int Parts(int count) => Math.Max(1, Math.Min(KernelThreads.Count, count));

    /// <summary>Runs body(part, start, end) over the fixed partition of [0, count).</summary>
    public static void For(int count, Action<int, int, int> body) => KernelThreads.For(count, body);

    /// <summary>
    /// Images per GEMM: small outputs (7 x 7 = 49 columns) make thin GEMMs whose last 16-wide register tile is mostly
    /// empty, and few rows (kk = 9 for one channel) make GEMMs too small to pay for their packing, so several images
    /// are laid side by side in one column matrix (at least 256 columns, or 16384 / kk), as long as that matrix stays
    /// within about 1 MB.
    /// </summary>
    public static int GroupSize(int kk, int columns) =>
        Math.Max(1, Math.Min((Math.Max(256, 16_384 / Math.Max(1, kk)) + columns - 1) / columns, 262_144 / Math.Max(1, kk * columns)));

    /// <summary>Copies nb consecutive images' (rows, cols) planes into one (rows, nb cols) matrix: dst[r, j cols + t] = src_j[r, t].</summary>
    public static unsafe void Gather(ReadOnlySpan<float> src, int nb, int rows, int cols, Span<float> dst)
    {
        CheckGroup(src.Length, dst.Length, nb, rows, cols);
        fixed (float* ps = src, pd = dst)
            for (int j = 0; j < nb; j++)
                for (int r = 0; r < rows; r++)
                    CopyAdd(ps + (j * rows + r) * cols, pd + r * nb * cols + j * cols, cols, 0f);
    }

    /// <summary>The inverse of Gather plus a bias per row: dst_j[r, t] = src[r, j cols + t] + bias[r] (bias may be empty: no bias).</summary>
    public static unsafe void Scatter(ReadOnlySpan<float> src, int nb, int rows, int cols, ReadOnlySpan<float> bias, Span<float> dst)
    {
        CheckGroup(dst.Length, src.Length, nb, rows, cols);
        if (!bias.IsEmpty && bias.Length != rows) throw new ArgumentException($"Scatter: bias has {bias.Length} floats for {rows} rows.");
        fixed (float* ps = src, pd = dst)
            for (int j = 0; j < nb; j++)
                for (int r = 0; r < rows; r++)
                    CopyAdd(ps + r * nb * cols + j * cols, pd + (j * rows + r) * cols, cols, bias.IsEmpty ? 0f : bias[r]);
    }

    /// <summary>The inverse of Gather, adding: dst_j[r, t] += src[r, j cols + t].</summary>
    public static void ScatterAdd(ReadOnlySpan<float> src, int nb, int rows, int cols, Span<float> dst)
    {
        for (int j = 0; j < nb; j++)
            for (int r = 0; r < rows; r++)
            {
                Span<float> d = dst.Slice((j * rows + r) * cols, cols);
                System.Numerics.Tensors.TensorPrimitives.Add(d, src.Slice(r * nb * cols + j * cols, cols), d);
            }
    }

    private static void CheckGroup(int imagesLength, int groupLength, int nb, int rows, int cols)
    {
        long need = (long)nb * rows * cols;
        if (imagesLength < need || groupLength < need)
            throw new ArgumentException($"Gather/Scatter: {nb} images of ({rows}, {cols}) need {need} floats on each side, got {imagesLength} and {groupLength}.");
    }

    /// <summary>op(W) (M, K) prepacked for <see cref="Gemm1Packed"/>, in a rented array the caller returns to ArrayPool.Shared.</summary>
    public static float[] PackWeights(bool transW, int m, int k, ReadOnlySpan<float> w, int ldw)
    {
        float[] packed = System.Buffers.ArrayPool<float>.Shared.Rent(Gemm.PackedALength(m, k));
        Gemm.PackA(transW, m, k, w, ldw, packed);
        return packed;
    }

    /// <summary>Single-threaded C = op(W) B + beta C with op(W) (M, K) from <see cref="PackWeights"/>: the weight panels are
    /// packed once per call of a convolution kernel instead of once per group of images.</summary>
    public static void Gemm1Packed(int m, int n, int k, float[] packedW, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc) =>
        Gemm.SgemmPackedA(m, n, k, 1f, packedW, false, b, ldb, beta, c, ldc);

    /// <summary>Single-threaded C = alpha op(A) op(B) + beta C (callers are already parallel over the batch).</summary>
    public static void Gemm1(bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc) =>
        Gemm.SgemmSingleThread(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);

    /// <summary>d[i] = s[i] + add for i &lt; n, a plain copy when add is 0 (rows of a few dozen floats: inline vectors
    /// instead of a span call per row).</summary>
    private static unsafe void CopyAdd(float* s, float* d, int n, float add)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            if (add == 0f)
                for (; i + 8 <= n; i += 8) Vector256.Store(Vector256.Load(s + i), d + i);
            else
            {
                Vector256<float> a = Vector256.Create(add);
                for (; i + 8 <= n; i += 8) Vector256.Store(Vector256.Load(s + i) + a, d + i);
            }
        }
        if (add == 0f) for (; i < n; i++) d[i] = s[i];
        else for (; i < n; i++) d[i] = s[i] + add;
    }
}

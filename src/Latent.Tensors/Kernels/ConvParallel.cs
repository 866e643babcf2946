// Fixed-partition parallel loop over the batch for the convolution kernels, and the single-threaded GEMM they
// call inside each part. Chunk t of T always gets images [t N / T, (t + 1) N / T), so results depend on the
// thread count only, never on scheduling (bit-identical runs for the same seed and thread count).
namespace Latent.Tensors.Kernels;

internal static class ConvParallel
{
    /// <summary>Worker count used by the convolution kernels (the machine's logical cores by default).</summary>
    public static int Threads { get; set; } = Environment.ProcessorCount;

    /// <summary>Number of parts for `count` items: at most Threads, at least 1.</summary>
    public static int Parts(int count) => Math.Max(1, Math.Min(Threads, count));

    /// <summary>Runs body(part, start, end) for each of Parts(count) contiguous ranges, part 0 on the calling thread.</summary>
    public static void For(int count, Action<int, int, int> body)
    {
        int parts = Parts(count);
        if (parts == 1) { body(0, 0, count); return; }
        Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = parts },
            t => body(t, (int)((long)t * count / parts), (int)((long)(t + 1) * count / parts)));
    }

    /// <summary>Single-threaded C = alpha op(A) op(B) + beta C (callers are already parallel over the batch).</summary>
    public static void Gemm1(bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc) =>
        Gemm.Sgemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

// The convolution kernels' parallel loop over the batch and the single-threaded GEMM they call inside each part:
// thin wrappers over Threading.KernelThreads (fixed partition: part t of T always gets the same images, so results
// depend on the thread count only, never on scheduling) and Gemm.SgemmSingleThread.
using Latent.Tensors.Threading;

namespace Latent.Tensors.Kernels;

internal static class ConvParallel
{
    /// <summary>Number of parts KernelThreads.For uses for `count` items: min(KernelThreads.Count, count), at least 1.</summary>
    public static int Parts(int count) => Math.Max(1, Math.Min(KernelThreads.Count, count));

    /// <summary>Runs body(part, start, end) over the fixed partition of [0, count).</summary>
    public static void For(int count, Action<int, int, int> body) => KernelThreads.For(count, body);

    /// <summary>Single-threaded C = alpha op(A) op(B) + beta C (callers are already parallel over the batch).</summary>
    public static void Gemm1(bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc) =>
        Gemm.SgemmSingleThread(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

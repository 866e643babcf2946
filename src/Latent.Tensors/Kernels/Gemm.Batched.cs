// Batched GEMM over strided operands: for every b in [0, batch)
//
//   C_b (M, N) = alpha * op(A_b) (M, K) * op(B_b) (K, N) + beta * C_b
//
// with A_b = a[b * strideA ..], B_b = b[b * strideB ..], C_b = c[b * strideC ..] (the cuBLAS
// gemmStridedBatched contract, row-major). A stride of 0 reuses one operand for every batch (a
// convolution's weights); C batches must not overlap. Parallel over the batch with a fixed split,
// each product on one thread: the same bits as `batch` calls of SgemmSingleThread.
using Latent.Tensors.Threading;

namespace Latent.Tensors.Kernels;

public static partial class Gemm
{
    /// <summary>
    /// `batch` independent products C_b = alpha op(A_b) op(B_b) + beta C_b, operands `stride` floats
    /// apart, run in parallel over the batch on up to KernelThreads.Count threads.
    /// </summary>
    public static void SgemmBatched(
        bool transA, bool transB, int m, int n, int k,
        float alpha, ReadOnlySpan<float> a, int lda, long strideA,
        ReadOnlySpan<float> b, int ldb, long strideB,
        float beta, Span<float> c, int ldc, long strideC, int batch)
        => ComputeBatched(transA, transB, m, n, k, alpha, a, lda, strideA, b, ldb, strideB,
            beta, c, ldc, strideC, batch, ThreadsFor((long)Math.Max(batch, 0) * m * n * k), BestIsa);

    internal static unsafe void ComputeBatched(
        bool transA, bool transB, int m, int n, int k,
        float alpha, ReadOnlySpan<float> a, int lda, long strideA,
        ReadOnlySpan<float> b, int ldb, long strideB,
        float beta, Span<float> c, int ldc, long strideC, int batch, int threads, GemmIsa isa)
    {
        if (batch < 0) throw new ArgumentException($"GEMM batch count must be non-negative, got {batch}.", nameof(batch));
        if (strideA < 0 || strideB < 0 || strideC < 0)
            throw new ArgumentException($"GEMM batch strides must be non-negative, got A {strideA}, B {strideB}, C {strideC}.");
        if (batch == 0) return;
        Check(transA, transB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
        CheckBatches("A", transA ? k : m, transA ? m : k, lda, strideA, batch, a.Length);
        CheckBatches("B", transB ? n : k, transB ? k : n, ldb, strideB, batch, b.Length);
        long cSpan = CheckBatches("C", m, n, ldc, strideC, batch, c.Length);
        if (batch > 1 && strideC < cSpan)
            throw new ArgumentException($"GEMM batched: C batches overlap (strideC {strideC} < {cSpan} floats per C); give each its own block.");
        if (m == 0 || n == 0) return;

        fixed (float* pa = a, pb = b, pc = c)
        {
            var work = GemmBatchWork.Rent();
            try
            {
                work.Set(transA, transB, m, n, k, alpha, pa, lda, strideA, pb, ldb, strideB, beta, pc, ldc, strideC, batch, isa);
                int workers = Math.Min(threads, batch);
                if (workers <= 1 || !WorkerPool.Shared.TryRun(work, workers)) work.Execute(0, 1);
            }
            finally { work.Return(); }
        }
    }

    /// <summary>Checks that the last batch of an operand fits in its span; returns the floats one batch spans.</summary>
    private static long CheckBatches(string name, int rows, int cols, int ld, long stride, int batch, int length)
    {
        long one = rows == 0 || cols == 0 ? 0 : (long)(rows - 1) * ld + cols;
        long need = one == 0 ? 0 : stride * (batch - 1) + one;
        if (length < need)
            throw new ArgumentException($"GEMM batched: {name} needs {need} floats for {batch} batches of {rows} x {cols} (ld {ld}) {stride} apart, the span has {length}.");
        return one;
    }
}

// Single-precision general matrix multiply, the engine's one hot kernel.
//
//   C (M, N) = alpha * op(A) (M, K) * op(B) (K, N) + beta * C
//
// op(X) is X or its transpose; every matrix is row-major with an explicit leading dimension
// (the distance in floats between two consecutive rows as stored). Same contract as BLAS sgemm
// with row-major storage. Legend for shapes in comments: M rows of C, N columns of C, K the
// contracted dimension.
//
// Implementation: packed panels and a register-tile microkernel (GemmJob; Goto & van de Geijn 2008,
// BLIS): 8 x 32 AVX-512 (GemmAvx512) or 6 x 16 AVX2/FMA (GemmAvx2), a portable Vector<float>
// kernel where neither is available (GemmPortable), and
// KernelThreads.Count threads with a fixed split: results do not depend on the thread count.
// Deliberately left out: complex types, double precision, column-major storage (transpose instead).
using System.Runtime.CompilerServices;
using Latent.Tensors.Threading;

[assembly: InternalsVisibleTo("Latent.Tests")]
[assembly: InternalsVisibleTo("Latent.Bench")]

namespace Latent.Tensors.Kernels;

/// <summary>Single-precision general matrix multiply, C (M, N) = alpha op(A) op(B) + beta C: the engine's one hot kernel.</summary>
public static partial class Gemm
{
    /// <summary>The microkernel this process uses: the widest the CPU and runtime accelerate.</summary>
    internal static GemmIsa BestIsa { get; } =
        GemmAvx512.IsSupported ? GemmIsa.Avx512 : GemmAvx2.IsSupported ? GemmIsa.Avx2Fma : GemmIsa.Portable;

    /// <summary>
    /// C = alpha * op(A) * op(B) + beta * C, row-major, on up to KernelThreads.Count threads.
    /// When beta is 0, C is not read (NaN in C does not propagate). Allocation-free after the first
    /// call of a given size on a thread.
    /// </summary>
    public static void Sgemm(
        bool transA, bool transB, int m, int n, int k,
        float alpha, ReadOnlySpan<float> a, int lda,
        ReadOnlySpan<float> b, int ldb,
        float beta, Span<float> c, int ldc)
        => Compute(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, ThreadsFor((long)m * n * k), BestIsa);

    /// <summary>
    /// The same product on the calling thread only: for callers that already run in parallel
    /// (e.g. one GEMM per image inside KernelThreads.For). Gives the same bits as Sgemm.
    /// </summary>
    public static void SgemmSingleThread(
        bool transA, bool transB, int m, int n, int k,
        float alpha, ReadOnlySpan<float> a, int lda,
        ReadOnlySpan<float> b, int ldb,
        float beta, Span<float> c, int ldc)
        => Compute(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, 1, BestIsa);

    /// <summary>
    /// KernelThreads.Count, or 1 for a product too small to pay for a second thread: below
    /// MinParallelMacs always, below MinWakeMacs when a worker would first have to be woken.
    /// The result does not depend on it.
    /// </summary>
    private static int ThreadsFor(long macs)
    {
        int threads = KernelThreads.Count;
        return macs < GemmBlocking.MinParallelMacs || (macs < GemmBlocking.MinWakeMacs && WorkerPool.Shared.WouldWake(threads))
            ? 1 : threads;
    }

    /// <summary>Sgemm with an explicit thread count and microkernel (tests compare them).</summary>
    internal static unsafe void Compute(
        bool transA, bool transB, int m, int n, int k,
        float alpha, ReadOnlySpan<float> a, int lda,
        ReadOnlySpan<float> b, int ldb,
        float beta, Span<float> c, int ldc, int threads, GemmIsa isa)
    {
        Check(transA, transB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
        if (m == 0 || n == 0) return;
        fixed (float* pa = a, pb = b, pc = c)
        {
            if (k == 0 || alpha == 0f)
            {
                ScaleC(m, n, beta, pc, ldc);
                return;
            }
            GemmJob.Run(transA, transB, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc, threads, isa);
        }
    }

    /// <summary>C = beta * C, with C cleared (not read) when beta is 0.</summary>
    private static unsafe void ScaleC(int m, int n, float beta, float* c, nint ldc)
    {
        if (beta == 1f) return;
        for (int i = 0; i < m; i++)
        {
            var ci = new Span<float>(c + i * ldc, n);
            if (beta == 0f) ci.Clear();
            else System.Numerics.Tensors.TensorPrimitives.Multiply(ci, beta, ci);
        }
    }

    /// <summary>Validates sizes once, at the API boundary, with messages that name the operand.</summary>
    internal static void Check(bool transA, bool transB, int m, int n, int k,
        int aLen, int lda, int bLen, int ldb, int cLen, int ldc)
    {
        if (m < 0 || n < 0 || k < 0) throw new ArgumentException($"GEMM sizes must be non-negative, got M={m} N={n} K={k}.");
        int aRows = transA ? k : m, aCols = transA ? m : k;
        int bRows = transB ? n : k, bCols = transB ? k : n;
        CheckOperand("A", aRows, aCols, aLen, lda);
        CheckOperand("B", bRows, bCols, bLen, ldb);
        CheckOperand("C", m, n, cLen, ldc);
    }

    private static void CheckOperand(string name, int rows, int cols, int len, int ld)
    {
        if (ld < Math.Max(1, cols))
            throw new ArgumentException($"GEMM: leading dimension of {name} is {ld}, smaller than its {cols} columns.");
        long need = rows == 0 || cols == 0 ? 0 : (long)(rows - 1) * ld + cols;
        if (len < need)
            throw new ArgumentException($"GEMM: {name} ({rows} x {cols}, ld {ld}) needs {need} floats, the span has {len}.");
    }
}

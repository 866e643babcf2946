// Single-precision general matrix multiply, the engine's one hot kernel.
//
//   C (M, N) = alpha * op(A) (M, K) * op(B) (K, N) + beta * C
//
// op(X) is X or its transpose; every matrix is row-major with an explicit leading dimension
// (the distance in floats between two consecutive rows as stored). Same contract as BLAS sgemm
// with row-major storage. Legend for shapes in comments: M rows of C, N columns of C, K the
// contracted dimension.
//
// This first version is a plain, cache-friendly loop (i-k-j order with TensorPrimitives on rows),
// correct for every transpose; the packed register-tile kernel replaces its body behind the same API.
using System.Numerics.Tensors;

namespace Latent.Tensors.Kernels;

public static class Gemm
{
    /// <summary>C = alpha * op(A) * op(B) + beta * C, row-major. When beta is 0, C is not read (NaN in C does not propagate).</summary>
    public static void Sgemm(
        bool transA, bool transB, int m, int n, int k,
        float alpha, ReadOnlySpan<float> a, int lda,
        ReadOnlySpan<float> b, int ldb,
        float beta, Span<float> c, int ldc)
    {
        Check(transA, transB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
        if (m == 0 || n == 0) return;
        for (int i = 0; i < m; i++)
        {
            Span<float> ci = c.Slice(i * ldc, n);
            if (beta == 0f) ci.Clear();
            else if (beta != 1f) TensorPrimitives.Multiply(ci, beta, ci);
        }
        if (k == 0 || alpha == 0f) return;

        if (!transB)
        {
            for (int i = 0; i < m; i++)
            {
                Span<float> ci = c.Slice(i * ldc, n);
                for (int p = 0; p < k; p++)
                {
                    float aip = alpha * (transA ? a[p * lda + i] : a[i * lda + p]);
                    if (aip == 0f) continue;
                    TensorPrimitives.MultiplyAdd(b.Slice(p * ldb, n), aip, ci, ci);
                }
            }
        }
        else
        {
            // op(B)[p, j] = B[j, p]: each C element is a dot product of an A row and a B row.
            float[]? aRow = transA ? new float[k] : null;
            for (int i = 0; i < m; i++)
            {
                ReadOnlySpan<float> ai;
                if (aRow is null) ai = a.Slice(i * lda, k);
                else
                {
                    for (int p = 0; p < k; p++) aRow[p] = a[p * lda + i];
                    ai = aRow;
                }
                Span<float> ci = c.Slice(i * ldc, n);
                for (int j = 0; j < n; j++) ci[j] += alpha * TensorPrimitives.Dot(ai, b.Slice(j * ldb, k));
            }
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
        long need = rows == 0 ? 0 : (long)(rows - 1) * ld + cols;
        if (len < need)
            throw new ArgumentException($"GEMM: {name} ({rows} x {cols}, ld {ld}) needs {need} floats, the span has {len}.");
    }
}

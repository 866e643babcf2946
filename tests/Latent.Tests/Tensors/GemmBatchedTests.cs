// Batched GEMM: each batch against the naive oracle, the same bits as single-threaded calls for
// any thread count, a shared operand (stride 0), and named errors for bad strides and lengths.
using Latent.Tensors.Kernels;
using static Latent.Tests.Tensors.GemmTests;

namespace Latent.Tests.Tensors;

public class GemmBatchedTests
{
    [Theory]
    [InlineData(false, false, 32, 784, 9, 6)]     // a conv's per-image product, small
    [InlineData(true, true, 13, 21, 17, 5)]
    [InlineData(false, true, 40, 70, 300, 3)]
    public void EachBatchMatchesSingleCallsAndNaive(bool ta, bool tb, int m, int n, int k, int batch)
    {
        int lda = ta ? m : k, ldb = tb ? k : n, ldc = n;
        long sa = (long)(ta ? k : m) * lda + 5, sb = 0, sc = (long)m * ldc + 3;   // B shared by all batches
        var a = Random((int)(sa * batch), 1);
        var b = Random((ta ? k : m) * 0 + (tb ? n : k) * ldb, 2);
        var c0 = Random((int)(sc * batch), 3);
        foreach (var isa in Isas())
        {
            var single = (float[])c0.Clone();
            for (int i = 0; i < batch; i++)
                Gemm.Compute(ta, tb, m, n, k, 0.5f, a.AsSpan((int)(i * sa)), lda, b, ldb, 2f,
                    single.AsSpan((int)(i * sc)), ldc, 1, isa);
            foreach (int threads in new[] { 1, 2, 4 })
            {
                var batched = (float[])c0.Clone();
                Gemm.ComputeBatched(ta, tb, m, n, k, 0.5f, a, lda, sa, b, ldb, sb, 2f, batched, ldc, sc, batch, threads, isa);
                Assert.Equal(single, batched);
            }
        }
        var expected = (float[])c0.Clone();
        var actual = (float[])c0.Clone();
        Gemm.SgemmBatched(ta, tb, m, n, k, 0.5f, a, lda, sa, b, ldb, sb, 2f, actual, ldc, sc, batch);
        for (int i = 0; i < batch; i++)
        {
            var ai = a.AsSpan((int)(i * sa)).ToArray();
            var ci = expected.AsSpan((int)(i * sc), m * ldc).ToArray();
            NaiveGemm(ta, tb, m, n, k, 0.5f, ai, lda, b, ldb, 2f, ci, ldc);
            for (int j = 0; j < m * ldc; j++)
                Assert.Equal(ci[j], actual[i * sc + j], 2e-6f * (k + 4) * Math.Max(1f, Math.Abs(ci[j])));
        }
    }

    [Fact]
    public void OverlappingOutputsAreANamedError()
    {
        var ex = Assert.Throws<ArgumentException>(() =>
            Gemm.SgemmBatched(false, false, 2, 2, 2, 1f, new float[8], 2, 4, new float[8], 2, 4, 0f, new float[8], 2, 3, 2));
        Assert.Contains("C batches overlap", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ShortBatchedOperandIsANamedError()
    {
        var ex = Assert.Throws<ArgumentException>(() =>
            Gemm.SgemmBatched(false, false, 2, 2, 2, 1f, new float[8], 2, 4, new float[7], 2, 4, 0f, new float[8], 2, 4, 2));
        Assert.Contains("B needs 8 floats for 2 batches", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NegativeStrideOrBatchIsANamedError()
    {
        var ex = Assert.Throws<ArgumentException>(() =>
            Gemm.SgemmBatched(false, false, 2, 2, 2, 1f, new float[8], 2, -4, new float[8], 2, 4, 0f, new float[8], 2, 4, 2));
        Assert.Contains("strides must be non-negative", ex.Message, StringComparison.Ordinal);
        ex = Assert.Throws<ArgumentException>(() =>
            Gemm.SgemmBatched(false, false, 2, 2, 2, 1f, new float[8], 2, 4, new float[8], 2, 4, 0f, new float[8], 2, 4, -1));
        Assert.Contains("batch count must be non-negative", ex.Message, StringComparison.Ordinal);
    }
}

// GEMM against a naive triple loop (the oracle), every transpose, odd sizes.
using Latent.Tensors.Kernels;

namespace Latent.Tests.Tensors;

public class GemmTests
{
    internal static void NaiveGemm(bool ta, bool tb, int m, int n, int k, float alpha, float[] a, int lda,
        float[] b, int ldb, float beta, float[] c, int ldc)
    {
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                for (int p = 0; p < k; p++)
                    s += (double)(ta ? a[p * lda + i] : a[i * lda + p]) * (tb ? b[j * ldb + p] : b[p * ldb + j]);
                c[i * ldc + j] = (float)(alpha * s + (beta == 0 ? 0 : beta * c[i * ldc + j]));
            }
    }

    [Theory]
    [InlineData(false, false, 7, 13, 5)]
    [InlineData(true, false, 17, 3, 9)]
    [InlineData(false, true, 6, 16, 31)]
    [InlineData(true, true, 25, 33, 19)]
    [InlineData(false, false, 1, 1, 1)]
    public void MatchesNaive(bool ta, bool tb, int m, int n, int k)
    {
        var rng = new Random(1);
        int lda = (ta ? m : k) + 2, ldb = (tb ? k : n) + 1, ldc = n + 3;
        var a = Enumerable.Range(0, (ta ? k : m) * lda).Select(_ => (float)rng.NextDouble() - 0.5f).ToArray();
        var b = Enumerable.Range(0, (tb ? n : k) * ldb).Select(_ => (float)rng.NextDouble() - 0.5f).ToArray();
        var c0 = Enumerable.Range(0, m * ldc).Select(_ => (float)rng.NextDouble()).ToArray();
        var expected = (float[])c0.Clone();
        var actual = (float[])c0.Clone();
        NaiveGemm(ta, tb, m, n, k, 0.7f, a, lda, b, ldb, 0.3f, expected, ldc);
        Gemm.Sgemm(ta, tb, m, n, k, 0.7f, a, lda, b, ldb, 0.3f, actual, ldc);
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
                Assert.Equal(expected[i * ldc + j], actual[i * ldc + j], 1e-4f);
    }

    [Fact]
    public void TooShortOperandIsANamedError()
    {
        var ex = Assert.Throws<ArgumentException>(() =>
            Gemm.Sgemm(false, false, 4, 4, 4, 1f, new float[15], 4, new float[16], 4, 0f, new float[16], 4));
        Assert.Contains("A (4 x 4", ex.Message, StringComparison.Ordinal);
    }
}

// GEMM against a naive triple loop in double precision (the oracle): every transpose, odd sizes,
// sizes that cross the tile (6 x 16, 8 x 32) and block (KC 256, MC 120, NC 3072) edges, the packed and the
// unpacked paths, leading dimensions larger than the rows, alpha/beta cases, both microkernels.
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

    internal static float[] Random(int length, int seed, float scale = 1f)
    {
        var rng = new Random(seed);
        var x = new float[length];
        for (int i = 0; i < length; i++) x[i] = ((float)rng.NextDouble() - 0.5f) * scale;
        return x;
    }

    /// <summary>Operands for op(A) (m, k), op(B) (k, n), C (m, n), each with padded leading dimensions.</summary>
    internal static (float[] A, int Lda, float[] B, int Ldb, float[] C, int Ldc) Operands(
        bool ta, bool tb, int m, int n, int k, int pad, int seed)
    {
        int lda = (ta ? m : k) + pad, ldb = (tb ? k : n) + pad, ldc = n + pad;
        return (Random(Math.Max(1, (ta ? k : m) * lda), seed), lda,
                Random(Math.Max(1, (tb ? n : k) * ldb), seed + 1), ldb,
                Random(Math.Max(1, m * ldc), seed + 2), ldc);
    }

    private static void AssertClose(float[] expected, float[] actual, int m, int n, int ldc, int k)
    {
        float tol = 2e-6f * (k + 4);
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                float e = expected[i * ldc + j], x = actual[i * ldc + j];
                if (!(Math.Abs(e - x) <= tol * Math.Max(1f, Math.Abs(e))))
                    Assert.Fail($"C[{i},{j}]: expected {e}, got {x} (M={m} N={n} K={k}).");
            }
        for (int i = m * ldc; i < actual.Length; i++) Assert.Equal(expected[i], actual[i]);   // nothing written past C
    }

    public static TheoryData<bool, bool, int, int, int> Shapes()
    {
        var data = new TheoryData<bool, bool, int, int, int>();
        (int M, int N, int K)[] sizes =
        [
            (1, 1, 1), (7, 13, 5), (6, 16, 8), (12, 32, 3), (25, 33, 19),
            (37, 65, 40),      // packs A and B, edge tiles on both sides
            (50, 20, 30),      // N <= 64: A read in place
            (30, 100, 17),     // M <= 36: B read in place (unless transposed), right edge strip
            (5, 7, 300),       // K crosses a KC slice
            (131, 70, 9),      // M crosses an MC block
            (8, 3100, 4),      // N crosses an NC block
        ];
        foreach (var (m, n, k) in sizes)
            foreach (bool ta in new[] { false, true })
                foreach (bool tb in new[] { false, true })
                    data.Add(ta, tb, m, n, k);
        return data;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void MatchesNaiveOnBothKernelsAndThreadCounts(bool ta, bool tb, int m, int n, int k)
    {
        var (a, lda, b, ldb, c0, ldc) = Operands(ta, tb, m, n, k, pad: 3, seed: m * 31 + n * 7 + k);
        var expected = (float[])c0.Clone();
        NaiveGemm(ta, tb, m, n, k, 0.7f, a, lda, b, ldb, 0.3f, expected, ldc);
        foreach (var isa in Isas())
            foreach (int threads in new[] { 1, 2 })
            {
                var actual = (float[])c0.Clone();
                Gemm.Compute(ta, tb, m, n, k, 0.7f, a, lda, b, ldb, 0.3f, actual, ldc, threads, isa);
                AssertClose(expected, actual, m, n, ldc, k);
            }
    }

    [Theory]
    [InlineData(false, false, 0f)]
    [InlineData(true, true, 0f)]
    [InlineData(false, true, 1f)]
    [InlineData(true, false, -2.5f)]
    public void BetaCasesMatchNaive(bool ta, bool tb, float beta)
    {
        const int m = 23, n = 45, k = 270;
        var (a, lda, b, ldb, c0, ldc) = Operands(ta, tb, m, n, k, pad: 1, seed: 5);
        var expected = (float[])c0.Clone();
        NaiveGemm(ta, tb, m, n, k, -1.3f, a, lda, b, ldb, beta, expected, ldc);
        var actual = (float[])c0.Clone();
        Gemm.Sgemm(ta, tb, m, n, k, -1.3f, a, lda, b, ldb, beta, actual, ldc);
        AssertClose(expected, actual, m, n, ldc, k);
    }

    [Theory]
    [InlineData(7, 13, 5)]       // edge tiles only
    [InlineData(40, 80, 300)]    // full and edge tiles, two K slices
    [InlineData(30, 50, 8)]      // both panels read in place
    public void BetaZeroDoesNotReadC(int m, int n, int k)
    {
        foreach (var isa in Isas())
        {
            var (a, lda, b, ldb, _, ldc) = Operands(false, false, m, n, k, pad: 2, seed: 9);
            var c = Enumerable.Repeat(float.NaN, m * ldc).ToArray();
            Gemm.Compute(false, false, m, n, k, 1f, a, lda, b, ldb, 0f, c, ldc, 2, isa);
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++)
                    Assert.False(float.IsNaN(c[i * ldc + j]), $"C[{i},{j}] is NaN with beta 0 ({isa}).");
        }
    }

    [Fact]
    public void AlphaZeroOrEmptyKScalesC()
    {
        var c = new[] { 1f, 2f, float.NaN, 4f };                   // 2 x 1 with ldc 2: [2] and [3] are padding
        Gemm.Sgemm(false, false, 2, 1, 0, 1f, [], 1, [], 1, 3f, c, 2);
        Assert.Equal(new[] { 3f, 2f, float.NaN, 4f }, c);
        var a = new[] { float.NaN, 1f };                            // alpha 0: A and B are not read
        var d = new[] { float.NaN, float.NaN };
        Gemm.Sgemm(false, false, 2, 1, 1, 0f, a, 1, [5f], 1, 0f, d, 1);
        Assert.Equal(new[] { 0f, 0f }, d);
    }

    [Fact]
    public void PortableKernelMatchesNaive()
    {
        // The fallback for CPUs without AVX2/FMA runs here on purpose, whatever this machine offers.
        var (a, lda, b, ldb, c0, ldc) = Operands(true, false, 41, 67, 261, pad: 2, seed: 11);
        var expected = (float[])c0.Clone();
        NaiveGemm(true, false, 41, 67, 261, 0.9f, a, lda, b, ldb, -0.4f, expected, ldc);
        var actual = (float[])c0.Clone();
        Gemm.Compute(true, false, 41, 67, 261, 0.9f, a, lda, b, ldb, -0.4f, actual, ldc, 1, GemmIsa.Portable);
        AssertClose(expected, actual, 41, 67, ldc, 261);
    }

    [Fact]
    public void SingleThreadEntryGivesTheSameBits()
    {
        var (a, lda, b, ldb, c0, ldc) = Operands(false, false, 200, 150, 100, pad: 0, seed: 4);
        var x = (float[])c0.Clone();
        var y = (float[])c0.Clone();
        Gemm.Sgemm(false, false, 200, 150, 100, 1f, a, lda, b, ldb, 1f, x, ldc);
        Gemm.SgemmSingleThread(false, false, 200, 150, 100, 1f, a, lda, b, ldb, 1f, y, ldc);
        Assert.Equal(x, y);
    }

    internal static IEnumerable<GemmIsa> Isas()
    {
        // Every kernel this machine can run, so a CPU with AVX-512 also checks the AVX2 one.
        yield return GemmIsa.Portable;
        if (Gemm.BestIsa is GemmIsa.Avx2Fma or GemmIsa.Avx512) yield return GemmIsa.Avx2Fma;
        if (Gemm.BestIsa == GemmIsa.Avx512) yield return GemmIsa.Avx512;
    }
}

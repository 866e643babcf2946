// GEMM with a prepacked A (Gemm.PackA + Gemm.SgemmPackedA, the convolutions' reused weight panels) against the
// ordinary single-threaded GEMM, bit for bit (same panels, same kernel, same K order): both transposes of A and B,
// M not a multiple of the register tile, K across several KC slices, N at and below the unpacked-A threshold,
// beta 0 and 1, padded leading dimensions.
using Latent.Tensors.Kernels;

namespace Latent.Tests.Tensors;

public class GemmPackedATests
{
    [Theory]
    [InlineData(false, false, 128, 245, 1024)]   // the DCGAN's conv 64 -> 128 forward
    [InlineData(true, false, 1024, 245, 128)]    // its input gradient W^T dY
    [InlineData(false, true, 13, 70, 300)]
    [InlineData(true, true, 9, 33, 513)]
    [InlineData(false, false, 1, 1, 1)]
    [InlineData(true, false, 17, 64, 7)]
    [InlineData(false, false, 40, 5, 260)]
    public void MatchesTheOrdinaryGemmBitForBit(bool ta, bool tb, int m, int n, int k)
    {
        foreach (float beta in new[] { 0f, 1f })
        {
            var (a, lda, b, ldb, c, ldc) = GemmTests.Operands(ta, tb, m, n, k, 3, 11);
            float[] expected = (float[])c.Clone(), actual = (float[])c.Clone();
            Gemm.SgemmSingleThread(ta, tb, m, n, k, 0.5f, a, lda, b, ldb, beta, expected, ldc);
            float[] packed = new float[Gemm.PackedALength(m, k)];
            Gemm.PackA(ta, m, k, a, lda, packed);
            Gemm.SgemmPackedA(m, n, k, 0.5f, packed, tb, b, ldb, beta, actual, ldc);
            Assert.Equal(expected, actual);
        }
    }

    [Fact]
    public void ShortBuffersAreNamedErrors()
    {
        var ex = Assert.Throws<ArgumentException>(() => Gemm.PackA(false, 8, 4, new float[32], 4, new float[Gemm.PackedALength(8, 4) - 1]));
        Assert.Contains("packed A needs", ex.Message, StringComparison.Ordinal);
        ex = Assert.Throws<ArgumentException>(() => Gemm.PackA(false, 8, 4, new float[31], 4, new float[Gemm.PackedALength(8, 4)]));
        Assert.Contains("GEMM: A", ex.Message, StringComparison.Ordinal);
        ex = Assert.Throws<ArgumentException>(() => Gemm.SgemmPackedA(8, 2, 4, 1f, new float[5], false, new float[8], 2, 0f, new float[16], 2));
        Assert.Contains("packed A needs", ex.Message, StringComparison.Ordinal);
    }
}

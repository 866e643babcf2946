// ConvWeightGrad: the weight gradient's GEMM in either orientation gives dW += Y_g col^T (against a double-precision
// oracle), accumulates, and the orientation rule picks the transpose only where it fills the register tiles better.
using Latent.Tensors.Kernels;

namespace Latent.Tests.Tensors;

public class ConvWeightGradTests
{
    [Theory]
    [InlineData(32, 9, 2352)]      // ConvVAE e1 / d5: 32 channels x one channel's 3 x 3 taps
    [InlineData(32, 288, 392)]     // ConvVAE e2 / d4
    [InlineData(17, 9, 61)]        // odd sizes, K below one packed slice
    [InlineData(5, 3, 7)]
    [InlineData(64, 16, 1176)]     // DCGAN D1 / G2
    public void BothOrientationsMatchTheOracle(int chan, int rows, int ld)
    {
        float[] yG = ConvKernelTests.Random(chan * ld, 1), col = ConvKernelTests.Random(rows * ld, 2);
        float[] start = ConvKernelTests.Random(chan * rows, 3);
        var expected = new double[chan * rows];
        for (int c = 0; c < chan; c++)
            for (int r = 0; r < rows; r++)
            {
                double sum = start[c * rows + r];
                for (int p = 0; p < ld; p++) sum += (double)yG[c * ld + p] * col[r * ld + p];
                expected[c * rows + r] = sum;
            }
        float[] direct = (float[])start.Clone(), transposed = (float[])start.Clone();
        ConvWeightGrad.Accumulate(chan, rows, ld, yG, col, direct, null);
        ConvWeightGrad.Accumulate(chan, rows, ld, yG, col, transposed, new float[chan * rows]);
        for (int i = 0; i < expected.Length; i++)
        {
            double tol = 1e-4 * (1 + Math.Abs(expected[i])) + 1e-5 * Math.Sqrt(ld);
            Assert.True(Math.Abs(direct[i] - expected[i]) <= tol, $"direct dW[{i}] = {direct[i]}, expected {expected[i]}");
            Assert.True(Math.Abs(transposed[i] - expected[i]) <= tol, $"transposed dW[{i}] = {transposed[i]}, expected {expected[i]}");
        }
    }

    [Fact]
    public void TransposeOnlyWhereTilesFillBetter()
    {
        // 32 x 9: half of a 16-wide tile is empty (AVX2 6 x 16: 50 % against 75 % transposed; AVX-512 8 x 32: 28 % against 56 %).
        Assert.True(ConvWeightGrad.Transposed(32, 9));
        Assert.NotNull(ConvWeightGrad.RentScratch(32, 9));
        // Large products fill both orientations (almost) fully: kept as stored.
        Assert.False(ConvWeightGrad.Transposed(128, 1024));
        Assert.Null(ConvWeightGrad.RentScratch(128, 1024));
        Assert.Equal(1.0, ConvWeightGrad.TileFill(48, 96), 12);
        Assert.True(ConvWeightGrad.TileFill(1, 1) < 0.02);
    }
}

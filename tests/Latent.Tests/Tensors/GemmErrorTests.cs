// Bad GEMM arguments fail at the API boundary with a message naming the operand and the fix.
using Latent.Tensors.Kernels;

namespace Latent.Tests.Tensors;

public class GemmErrorTests
{
    [Fact]
    public void TooShortOperandIsANamedError()
    {
        var ex = Assert.Throws<ArgumentException>(() =>
            Gemm.Sgemm(false, false, 4, 4, 4, 1f, new float[15], 4, new float[16], 4, 0f, new float[16], 4));
        Assert.Contains("A (4 x 4", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TooShortTransposedBIsANamedError()
    {
        // op(B) is (3, 5) stored transposed as B (5, 3): it needs 15 floats.
        var ex = Assert.Throws<ArgumentException>(() =>
            Gemm.Sgemm(false, true, 2, 5, 3, 1f, new float[6], 3, new float[14], 3, 0f, new float[10], 5));
        Assert.Contains("B (5 x 3, ld 3) needs 15 floats, the span has 14", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TooShortCIsANamedError()
    {
        var ex = Assert.Throws<ArgumentException>(() =>
            Gemm.SgemmSingleThread(false, false, 3, 3, 1, 1f, new float[3], 1, new float[3], 3, 0f, new float[8], 3));
        Assert.Contains("C (3 x 3", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LeadingDimensionSmallerThanColumnsIsANamedError()
    {
        var ex = Assert.Throws<ArgumentException>(() =>
            Gemm.Sgemm(false, false, 2, 4, 3, 1f, new float[6], 2, new float[12], 4, 0f, new float[8], 4));
        Assert.Contains("leading dimension of A is 2, smaller than its 3 columns", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NegativeSizeIsANamedError()
    {
        var ex = Assert.Throws<ArgumentException>(() =>
            Gemm.Sgemm(false, false, -1, 4, 3, 1f, new float[12], 3, new float[12], 4, 0f, new float[8], 4));
        Assert.Contains("M=-1", ex.Message, StringComparison.Ordinal);
    }
}

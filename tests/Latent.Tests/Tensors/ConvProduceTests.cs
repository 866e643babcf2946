// The one-image-channel convolutions in the produce direction (ConvProduce: the conv's input gradient, the convT's
// forward) against the naive direct loops of ConvKernelTests: the ConvVAE's e1 and d5, odd sizes whose phase planes
// leave partial 4 x 16 tiles, padding 0-2, a 3 x 5 kernel, stride 2 with 6 x 6 and 6 x 4 kernels (four phase planes
// interleaved), output padding, batch 1, one and three threads, every subset of a backward that asks for dX; the same
// bits on a second run; and which shapes take the path (the DCGAN's 4 x 4 stride 2 keeps the lowering).
using Latent.Tensors.Kernels;
using Latent.Tests.Tensors.Threading;

namespace Latent.Tests.Tensors;

[Collection(WorkerPoolCollection.Name)]
public class ConvProduceTests
{
    public static IEnumerable<object[]> Shapes => new object[][]
    {
        // transposed, N, C, F, H, W, KH, KW, S, P, OP
        new object[] { false, 3, 1, 32, 28, 28, 3, 3, 1, 1, 0 },    // ConvVAE e1 (dX here)
        new object[] { true, 3, 32, 1, 28, 28, 3, 3, 1, 1, 0 },     // ConvVAE d5 (forward here)
        new object[] { false, 1, 1, 5, 9, 7, 3, 3, 1, 1, 0 },       // batch 1, odd sizes: partial tiles both ways
        new object[] { true, 1, 7, 1, 9, 7, 3, 3, 1, 1, 0 },        // batch 1, 7 channels
        new object[] { false, 2, 1, 6, 10, 11, 3, 3, 1, 0, 0 },     // no padding: dX wider than dY
        new object[] { false, 2, 1, 4, 7, 6, 3, 3, 1, 2, 0 },       // padding 2: dY wider than dX
        new object[] { false, 2, 1, 9, 12, 19, 3, 5, 1, 2, 0 },     // 3 x 5 kernel, a row of two column tiles
        new object[] { true, 2, 5, 1, 6, 9, 3, 3, 1, 0, 0 },        // convT without padding: 8 x 11 output
        new object[] { false, 2, 1, 7, 13, 11, 6, 6, 2, 2, 0 },     // stride 2, 6 x 6: four phase planes
        new object[] { true, 2, 9, 1, 5, 6, 6, 6, 2, 2, 1 },        // stride 2 with output padding (11 x 13, odd)
        new object[] { true, 1, 4, 1, 4, 4, 6, 4, 2, 1, 0 },        // 6 x 4: two column taps per phase
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void MatchesNaive(bool transposed, int n, int c, int f, int h, int w, int kh, int kw, int s, int p, int op)
    {
        ConvShape g = ConvKernelTests.Shape(transposed, n, c, f, h, w, kh, kw, s, p, op);
        Assert.True(ConvProduce.Applies(g), "the shape should take the produce tiles");
        ConvKernelTests.MatchesNaiveOnOneAndThreeThreads(g);
    }

    /// <summary>The conv's backward with dX asked for alone, with dW, with dB and with both (dX here, the rest by
    /// ConvDirect or the lowering), onto ones; the convT's forward without bias.</summary>
    [Theory]
    [MemberData(nameof(Shapes))]
    public void EveryBackwardWithDxMatchesNaive(bool transposed, int n, int c, int f, int h, int w, int kh, int kw, int s, int p, int op)
    {
        ConvShape g = ConvKernelTests.Shape(transposed, n, c, f, h, w, kh, kw, s, p, op);
        ConvKernelTests.BackwardSubsetsMatchNaive(g, [1, 3, 5, 7], 31);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void SameBitsOnASecondRun(bool transposed)
    {
        var g = transposed ? ConvShape.ConvTranspose(7, 32, 1, 28, 28, 3, 3, 1, 1) : ConvShape.Conv(7, 1, 32, 28, 28, 3, 3, 1, 1);
        ConvKernelTests.SameBitsOnASecondRun(g, 41);
    }

    [Fact]
    public void OnlyThreeRowTapsPerPhaseTakeThePath()
    {
        Assert.True(ConvProduce.Applies(ConvShape.Conv(2, 1, 32, 28, 28, 3, 3, 1, 1)));            // e1
        Assert.True(ConvProduce.Applies(ConvShape.ConvTranspose(2, 32, 1, 28, 28, 3, 3, 1, 1)));   // d5
        Assert.False(ConvProduce.Applies(ConvShape.Conv(2, 1, 64, 28, 28, 4, 4, 2, 1)));           // D1: 4 x 4 stride 2
        Assert.False(ConvProduce.Applies(ConvShape.ConvTranspose(2, 64, 1, 14, 14, 4, 4, 2, 1)));  // G2
        Assert.False(ConvProduce.Applies(ConvShape.Conv(2, 1, 8, 12, 12, 3, 3, 2, 1)));            // 3 x 3 stride 2
        Assert.False(ConvProduce.Applies(ConvShape.Conv(2, 1, 8, 12, 12, 5, 5, 1, 2)));            // 5 x 5
        Assert.False(ConvProduce.Applies(ConvShape.Conv(2, 1, 8, 12, 12, 9, 9, 3, 3)));            // stride 3
        Assert.False(ConvProduce.Applies(ConvShape.Conv(2, 3, 8, 12, 12, 3, 3, 1, 1)));            // three image channels
        Assert.False(ConvProduce.Applies(ConvShape.ConvTranspose(2, 8, 2, 12, 12, 3, 3, 1, 1)));   // two output channels
    }
}

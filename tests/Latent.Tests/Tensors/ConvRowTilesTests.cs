// The one-image-channel convolutions in the consume direction on row tiles (ConvRowTiles: the conv's forward 1 -> F, the
// convT's input gradient C -> 1) against the naive direct loops of ConvKernelTests: the ConvVAE's e1 and d5, the DCGAN's
// D1 and G2, odd sizes whose rows end in a vector that overlaps the one before it (11, 13, 20 pixels: a tile whose
// second vector repeats its first), an odd number of output rows (a tile with one valid row), channel counts that are
// not a multiple of 3, padding 0-2, strides 1-3, 4 x 4, 5 x 5 and 2 x 3 kernels, output padding, batch 1, one and three
// threads; every subset of a backward and the forward without bias; the same bits on a second run; and which shapes
// take the path.
using Latent.Tensors.Kernels;
using Latent.Tests.Tensors.Threading;

namespace Latent.Tests.Tensors;

[Collection(WorkerPoolCollection.Name)]
public class ConvRowTilesTests
{
    public static IEnumerable<object[]> Shapes => new object[][]
    {
        // transposed, N, C, F, H, W, KH, KW, S, P, OP
        new object[] { false, 3, 1, 32, 28, 28, 3, 3, 1, 1, 0 },    // ConvVAE e1 (forward here)
        new object[] { true, 3, 32, 1, 28, 28, 3, 3, 1, 1, 0 },     // ConvVAE d5 (dX here)
        new object[] { false, 3, 1, 64, 28, 28, 4, 4, 2, 1, 0 },    // DCGAN D1
        new object[] { true, 3, 64, 1, 14, 14, 4, 4, 2, 1, 0 },     // DCGAN G2
        new object[] { false, 1, 1, 5, 9, 11, 3, 3, 1, 1, 0 },      // batch 1, 9 rows (odd), 11 columns (overlap 5), 5 filters
        new object[] { false, 2, 1, 13, 7, 20, 3, 3, 1, 1, 0 },     // 20 columns: a tile whose second vector repeats the first
        new object[] { false, 2, 1, 9, 17, 19, 3, 3, 2, 1, 0 },     // stride 2 on odd sizes: 9 x 10 output
        new object[] { false, 2, 1, 7, 10, 12, 5, 5, 1, 2, 0 },     // 5 x 5, padding 2
        new object[] { false, 2, 1, 4, 9, 8, 3, 3, 1, 0, 0 },       // no padding: 7 x 6 output is too narrow (not here)
        new object[] { false, 3, 1, 4, 26, 27, 3, 3, 3, 1, 0 },     // stride 3: 9 x 9 output
        new object[] { false, 5, 1, 2, 13, 17, 2, 3, 2, 1, 0 },     // non-square kernel, 2 filters (one block, 2 of 3)
        new object[] { true, 1, 7, 1, 9, 9, 3, 3, 1, 1, 0 },        // batch 1, odd sizes, 7 channels
        new object[] { true, 2, 18, 1, 8, 9, 3, 3, 2, 1, 1 },       // stride 2 with output padding
        new object[] { true, 3, 5, 1, 9, 10, 4, 4, 2, 1, 0 },
        new object[] { true, 2, 9, 1, 9, 13, 5, 5, 1, 2, 0 },
        new object[] { true, 2, 33, 1, 11, 8, 3, 3, 1, 1, 0 },      // 33 channels, rows of exactly 8
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void MatchesNaive(bool transposed, int n, int c, int f, int h, int w, int kh, int kw, int s, int p, int op)
    {
        ConvShape g = ConvKernelTests.Shape(transposed, n, c, f, h, w, kh, kw, s, p, op);
        Assert.Equal(g.ColWidth >= 8, ConvRowTiles.Applies(g));
        if (transposed) Assert.True(ConvDirect.Applies(g), "the convT's input gradient reaches the row tiles through ConvDirect's dispatch");
        ConvKernelTests.MatchesNaiveOnOneAndThreeThreads(g);
    }

    /// <summary>The forward without bias; the backward with each of the 7 subsets of {dX, dW, dB} (the convT's dX here,
    /// the rest by ConvProduce, ConvDirect or the lowering), onto ones.</summary>
    [Theory]
    [MemberData(nameof(Shapes))]
    public void EveryBackwardSubsetMatchesNaive(bool transposed, int n, int c, int f, int h, int w, int kh, int kw, int s, int p, int op)
    {
        ConvShape g = ConvKernelTests.Shape(transposed, n, c, f, h, w, kh, kw, s, p, op);
        ConvKernelTests.BackwardSubsetsMatchNaive(g, [1, 2, 3, 4, 5, 6, 7], 37);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void SameBitsOnASecondRun(bool transposed)
    {
        var g = transposed ? ConvShape.ConvTranspose(7, 32, 1, 28, 28, 3, 3, 1, 1) : ConvShape.Conv(7, 1, 64, 28, 28, 4, 4, 2, 1);
        ConvKernelTests.SameBitsOnASecondRun(g, 43);
    }

    [Fact]
    public void OneImageChannelRowsOfEightOrMoreTakeThePath()
    {
        Assert.True(ConvRowTiles.Applies(ConvShape.Conv(2, 1, 32, 28, 28, 3, 3, 1, 1)));            // e1
        Assert.True(ConvRowTiles.Applies(ConvShape.ConvTranspose(2, 32, 1, 28, 28, 3, 3, 1, 1)));   // d5
        Assert.True(ConvRowTiles.Applies(ConvShape.Conv(2, 1, 64, 28, 28, 4, 4, 2, 1)));            // D1
        Assert.True(ConvRowTiles.Applies(ConvShape.ConvTranspose(2, 64, 1, 14, 14, 4, 4, 2, 1)));   // G2
        Assert.False(ConvRowTiles.Applies(ConvShape.Conv(2, 1, 8, 12, 12, 3, 3, 2, 1)));            // 6 x 6 output: rows of 6
        Assert.False(ConvRowTiles.Applies(ConvShape.ConvTranspose(2, 8, 1, 7, 7, 3, 3, 1, 1)));     // dX rows of 7
        Assert.False(ConvRowTiles.Applies(ConvShape.Conv(2, 3, 8, 12, 12, 3, 3, 1, 1)));            // three image channels
        Assert.False(ConvRowTiles.Applies(ConvShape.ConvTranspose(2, 8, 2, 12, 12, 3, 3, 1, 1)));   // two output channels
        Assert.False(ConvRowTiles.Applies(ConvShape.Conv(2, 32, 32, 28, 28, 3, 3, 1, 1)));          // many channels
    }
}

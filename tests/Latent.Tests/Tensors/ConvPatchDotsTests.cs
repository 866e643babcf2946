// The weight gradient of one-image-channel 4 x 4 convolutions on patch dots (ConvPatchDots: 16 taps a vector pair, the
// channels' gradient rows in registers over every pixel) against the naive direct loops of ConvKernelTests: the DCGAN's
// D1 and G2, channels in blocks of 6 and one of 4, odd sizes (planes that are not a multiple of a vector), strides 1-3,
// padding 1-2, batch 1, one and three threads; every subset of a backward; the same bits on a second run; which shapes
// take the path.
using Latent.Tensors.Kernels;
using Latent.Tests.Tensors.Threading;

namespace Latent.Tests.Tensors;

[Collection(WorkerPoolCollection.Name)]
public class ConvPatchDotsTests
{
    public static IEnumerable<object[]> Shapes => new object[][]
    {
        // transposed, N, C, F, H, W, KH, KW, S, P, OP
        new object[] { false, 3, 1, 64, 28, 28, 4, 4, 2, 1, 0 },    // DCGAN D1: 10 blocks of 6 and one of 4
        new object[] { true, 3, 64, 1, 14, 14, 4, 4, 2, 1, 0 },     // DCGAN G2
        new object[] { false, 1, 1, 6, 9, 10, 4, 4, 2, 1, 0 },      // batch 1, one block of 6, odd sizes (4 x 5 output)
        new object[] { true, 2, 4, 1, 7, 5, 4, 4, 2, 1, 0 },        // one block of 4, odd sizes
        new object[] { false, 2, 1, 12, 10, 13, 4, 4, 1, 2, 0 },    // stride 1, padding 2, 11 x 14 output
        new object[] { false, 2, 1, 10, 13, 12, 4, 4, 3, 2, 0 },    // stride 3, padding 2
        new object[] { true, 3, 16, 1, 6, 7, 4, 4, 2, 2, 1 },       // convT with padding 2 and output padding
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void MatchesNaive(bool transposed, int n, int c, int f, int h, int w, int kh, int kw, int s, int p, int op)
    {
        var g = ConvKernelTests.Shape(transposed, n, c, f, h, w, kh, kw, s, p, op);
        Assert.True(ConvPatchDots.Applies(g) || !DirectGemm.Avx2Tiles, "the shape should take the patch dots");
        ConvKernelTests.MatchesNaiveOnOneAndThreeThreads(g);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void EveryBackwardSubsetMatchesNaive(bool transposed, int n, int c, int f, int h, int w, int kh, int kw, int s, int p, int op) =>
        ConvKernelTests.BackwardSubsetsMatchNaive(ConvKernelTests.Shape(transposed, n, c, f, h, w, kh, kw, s, p, op), Enumerable.Range(1, 7), 41);

    [Fact]
    public void SameBitsOnASecondRun() => ConvKernelTests.SameBitsOnASecondRun(ConvShape.Conv(5, 1, 64, 28, 28, 4, 4, 2, 1), 9);

    [Fact]
    public void OnlyFourByFourKernelsWithChannelsInBlocksOfSixAndFourTakeThePath()
    {
        if (!DirectGemm.Avx2Tiles) return;                                          // AVX2 tiles only
        Assert.True(ConvPatchDots.Applies(ConvShape.Conv(2, 1, 64, 28, 28, 4, 4, 2, 1)));                // D1
        Assert.True(ConvPatchDots.Applies(ConvShape.ConvTranspose(2, 64, 1, 14, 14, 4, 4, 2, 1)));       // G2
        Assert.False(ConvPatchDots.Applies(ConvShape.Conv(2, 1, 3, 6, 8, 4, 4, 2, 1)));                 // 3 filters
        Assert.False(ConvPatchDots.Applies(ConvShape.Conv(2, 1, 12, 9, 10, 2, 4, 2, 1)));               // 2 x 4: the tap pairs
        Assert.False(ConvPatchDots.Applies(ConvShape.Conv(2, 1, 32, 28, 28, 3, 3, 1, 1)));              // 9 taps: the triples
        Assert.False(ConvPatchDots.Applies(ConvShape.Conv(2, 2, 12, 9, 10, 4, 4, 2, 1)));               // two image channels
    }
}

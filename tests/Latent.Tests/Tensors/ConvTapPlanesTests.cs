// The one-image-plane convolutions in the produce direction on tap planes (ConvTapPlanes: the conv's input gradient
// F -> 1, the convT's forward C -> 1, stride 1 or 2 onto a plane S times the other side's) against the naive direct
// loops of ConvKernelTests: the ConvVAE's e1 and d5, the DCGAN's D1 and G2, 2 x 2 and 6 x 6 kernels at stride 2, odd sizes (planes that are not a multiple of the 32-pixel tile or of a vector, rows of 8 to 13
// pixels, so shifted reads wrap row ends in the middle of vectors), one channel and 33, 9 x 9 kernels with padding 4,
// batch 1, one and three threads; every subset of a backward and the forward without bias; the same bits on a second
// run; and which shapes take the path.
using Latent.Tensors.Kernels;
using Latent.Tests.Tensors.Threading;

namespace Latent.Tests.Tensors;

[Collection(WorkerPoolCollection.Name)]
public class ConvTapPlanesTests
{
    public static IEnumerable<object[]> Shapes => new object[][]
    {
        // transposed, N, C, F, H, W, KH, KW, S, P, OP
        new object[] { false, 3, 1, 32, 28, 28, 3, 3, 1, 1, 0 },    // ConvVAE e1 (dX here)
        new object[] { true, 3, 32, 1, 28, 28, 3, 3, 1, 1, 0 },     // ConvVAE d5 (forward here)
        new object[] { false, 1, 1, 5, 9, 11, 3, 3, 1, 1, 0 },      // batch 1, 99 pixels: the last tile and vector overlap
        new object[] { true, 2, 1, 1, 5, 8, 3, 3, 1, 1, 0 },        // one channel, 40 pixels, rows of 8
        new object[] { true, 2, 33, 1, 7, 13, 3, 3, 1, 1, 0 },      // 33 channels, rows of 13
        new object[] { false, 2, 1, 6, 12, 10, 9, 9, 1, 4, 0 },     // 9 x 9, padding 4: shifts of up to 4 rows and columns
        new object[] { false, 3, 1, 64, 28, 28, 4, 4, 2, 1, 0 },    // DCGAN D1 (dX here): stride 2, 4-tap tiles, 4 phases
        new object[] { true, 3, 64, 1, 14, 14, 4, 4, 2, 1, 0 },     // DCGAN G2 (forward here)
        new object[] { false, 1, 1, 10, 18, 20, 4, 4, 2, 1, 0 },    // stride 2 onto 18 x 20 from 9 x 10: 90-pixel planes
        new object[] { true, 2, 5, 1, 9, 8, 4, 4, 2, 1, 0 },        // stride 2, 5 channels, 9 x 8 onto 18 x 16
        new object[] { false, 2, 1, 6, 16, 18, 2, 2, 2, 0, 0 },     // 2 x 2 stride 2: one tap a phase, no shifts
        new object[] { false, 2, 1, 6, 20, 18, 2, 2, 2, 0, 0 },     // 2 x 2 on 90-pixel planes: a tail of 4-tap vectors
        new object[] { true, 2, 7, 1, 8, 9, 6, 6, 2, 2, 0 },        // 6 x 6 stride 2 (36 taps in threes), 9 taps a phase
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void MatchesNaive(bool transposed, int n, int c, int f, int h, int w, int kh, int kw, int s, int p, int op)
    {
        var g = ConvKernelTests.Shape(transposed, n, c, f, h, w, kh, kw, s, p, op);
        Assert.True(ConvTapPlanes.Applies(g) || !Avx2Fma, "the shape should take the tap planes");
        ConvKernelTests.MatchesNaiveOnOneAndThreeThreads(g);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void EveryBackwardSubsetMatchesNaive(bool transposed, int n, int c, int f, int h, int w, int kh, int kw, int s, int p, int op) =>
        ConvKernelTests.BackwardSubsetsMatchNaive(ConvKernelTests.Shape(transposed, n, c, f, h, w, kh, kw, s, p, op), Enumerable.Range(1, 7), 31);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void SameBitsOnASecondRun(bool transposed)
    {
        var g = transposed ? ConvShape.ConvTranspose(5, 32, 1, 28, 28, 3, 3, 1, 1) : ConvShape.Conv(5, 1, 32, 28, 28, 3, 3, 1, 1);
        ConvKernelTests.SameBitsOnASecondRun(g, 7);
    }

    /// <summary>The kernel called directly (not through ConvTranspose2dKernel's dispatch) at stride 2 against the naive
    /// forward, with a bias.</summary>
    [Theory]
    [InlineData(3, 64, 14, 14, 4, 4, 2, 1)]                           // DCGAN G2
    [InlineData(2, 4, 14, 14, 4, 4, 2, 1)]                            // the tiny test GAN's G2: 4 channels
    [InlineData(2, 5, 9, 8, 4, 4, 2, 1)]
    [InlineData(2, 7, 8, 9, 6, 6, 2, 2)]
    [InlineData(2, 3, 8, 12, 2, 2, 2, 0)]
    public void TransposedForwardAtStrideTwoMatchesNaive(int n, int c, int h, int w, int kh, int kw, int s, int p)
    {
        var g = ConvShape.ConvTranspose(n, c, 1, h, w, kh, kw, s, p);
        if (!ConvTapPlanes.Applies(g)) { Assert.False(Avx2Fma); return; }
        float[] x = ConvKernelTests.Random(g.InputLength, 41), wt = ConvKernelTests.Random(g.WeightLength, 42), b = ConvKernelTests.Random(1, 43);
        float[] dy = ConvKernelTests.Random(g.OutputLength, 44);
        var y = new float[g.OutputLength];
        ConvTapPlanes.TransposedForward(x, wt, b, y, g);
        ConvKernelTests.Close(ConvKernelTests.Naive(g, x, wt, b, dy).y, y, "y");
    }

    [Fact]
    public void StrideOneSameSizeShapesWithTapsInThreesTakeThePath()
    {
        if (!Avx2Fma) return;
        Assert.True(ConvTapPlanes.Applies(ConvShape.Conv(2, 1, 32, 28, 28, 3, 3, 1, 1)));                 // e1's dX
        Assert.True(ConvTapPlanes.Applies(ConvShape.ConvTranspose(2, 32, 1, 28, 28, 3, 3, 1, 1)));        // d5's forward
        Assert.True(ConvTapPlanes.Applies(ConvShape.Conv(2, 1, 64, 28, 28, 4, 4, 2, 1)));                 // D1's dX
        Assert.True(ConvTapPlanes.Applies(ConvShape.ConvTranspose(2, 64, 1, 14, 14, 4, 4, 2, 1)));        // G2's forward
        Assert.False(ConvTapPlanes.Applies(ConvShape.Conv(2, 1, 8, 27, 27, 4, 4, 2, 1)));                 // 27 is not 2 x 13
        Assert.False(ConvTapPlanes.Applies(ConvShape.Conv(2, 1, 8, 27, 27, 3, 3, 3, 0)));                 // stride 3
        Assert.False(ConvTapPlanes.Applies(ConvShape.Conv(2, 1, 8, 10, 10, 5, 5, 1, 2)));                 // 25 taps
        Assert.False(ConvTapPlanes.Applies(ConvShape.Conv(2, 1, 8, 10, 10, 3, 3, 1, 0)));                 // 8 x 8 output: not "same"
        Assert.False(ConvTapPlanes.Applies(ConvShape.Conv(2, 2, 8, 10, 10, 3, 3, 1, 1)));                 // two image channels
        Assert.False(ConvTapPlanes.Applies(ConvShape.Conv(2, 1, 8, 4, 7, 3, 3, 1, 1)));                   // 28 pixels, rows of 7
    }

    private static bool Avx2Fma => System.Runtime.Intrinsics.X86.Avx2.IsSupported && System.Runtime.Intrinsics.X86.Fma.IsSupported;
}

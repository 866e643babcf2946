// The many-channel convolutions on pixel x channel tiles (ConvPixelTiles: all three passes, both directions) against
// the naive direct loops of ConvKernelTests: the ConvVAE's e2, d4, e4, d2, e3, d1, d3 and the DCGAN's D2 and G1 through
// the dispatching kernels on one and three threads, every subset of a backward that asks for dX; odd geometries through
// ConvPixelTiles itself (channels not a multiple of 16, partial six-pixel tiles, several K slices, groups of images
// with a partial last group, padding 0 and 2, strides 1-3, 4 x 4, 3 x 5, 2 x 2 and 1 x 1 kernels, batch 1); the same
// bits on a second run; which shapes take the path (16 or more channels on both sides, 3 x 3 or 4 x 4, stride 1 or 2).
using Latent.Tensors.Kernels;
using Latent.Tensors.Threading;
using Latent.Tests.Tensors.Threading;

namespace Latent.Tests.Tensors;

[Collection(WorkerPoolCollection.Name)]
public class ConvPixelTilesTests
{
    public static IEnumerable<object[]> LayerShapes => new object[][]
    {
        // transposed, N, C, F, H, W, KH, KW, S, P, OP
        new object[] { false, 3, 32, 32, 28, 28, 3, 3, 2, 1, 0 },   // ConvVAE e2 (forward here)
        new object[] { true, 3, 32, 32, 14, 14, 3, 3, 2, 1, 1 },    // ConvVAE d4 (dX here)
        new object[] { false, 5, 64, 64, 14, 14, 3, 3, 2, 1, 0 },   // e4: two K slices, groups of three images, the last of two
        new object[] { true, 4, 64, 64, 7, 7, 3, 3, 2, 1, 1 },      // d2
        new object[] { false, 1, 16, 17, 9, 8, 3, 3, 2, 1, 0 },     // batch 1, 17 channels, odd sizes
        new object[] { false, 2, 32, 64, 14, 14, 3, 3, 1, 1, 0 },   // e3: stride 1
        new object[] { true, 2, 64, 64, 7, 7, 3, 3, 1, 1, 0 },      // d1
        new object[] { true, 2, 64, 32, 14, 14, 3, 3, 1, 1, 0 },    // d3
        new object[] { false, 2, 64, 128, 14, 14, 4, 4, 2, 1, 0 },  // the DCGAN's D2: 4 x 4, K = 1024 in four slices
        new object[] { true, 2, 128, 64, 7, 7, 4, 4, 2, 1, 0 },     // G1
    };

    public static IEnumerable<object[]> OddShapes => new object[][]
    {
        new object[] { false, 2, 7, 13, 11, 9, 3, 3, 2, 0, 0 },     // no padding, 13 channels, 5 x 4 output
        new object[] { false, 3, 40, 20, 10, 10, 3, 3, 2, 2, 0 },   // padding 2, 40 channels: two K slices of 20
        new object[] { false, 2, 5, 24, 12, 13, 3, 3, 1, 1, 0 },    // stride 1
        new object[] { false, 1, 4, 17, 13, 14, 3, 5, 3, 2, 0 },    // stride 3, 3 x 5 kernel, 17 channels
        new object[] { false, 2, 6, 16, 14, 14, 4, 4, 2, 1, 0 },    // the DCGAN's 4 x 4 stride 2
        new object[] { true, 2, 9, 6, 5, 6, 3, 3, 2, 1, 1 },        // convT dX, 9 output channels of the product
        new object[] { true, 3, 33, 3, 4, 4, 4, 4, 2, 1, 0 },       // convT 4 x 4 stride 2, 33 channels
        new object[] { false, 2, 3, 4, 9, 9, 2, 2, 3, 0, 0 },       // a kernel smaller than the stride: phases no tap reaches
        new object[] { true, 2, 5, 3, 4, 5, 1, 1, 2, 0, 1 },        // 1 x 1 stride 2 convT with output padding
    };

    [Theory]
    [MemberData(nameof(LayerShapes))]
    public void MatchesNaive(bool transposed, int n, int c, int f, int h, int w, int kh, int kw, int s, int p, int op)
    {
        ConvShape g = ConvKernelTests.Shape(transposed, n, c, f, h, w, kh, kw, s, p, op);
        Assert.True(ConvPixelTiles.Applies(g), "the shape should take the pixel tiles");
        ConvKernelTests.MatchesNaiveOnOneAndThreeThreads(g);
    }

    /// <summary>The convT's backward with dX alone, with dW, with dB and with both (dX here, the rest by the lowering),
    /// onto ones; the conv's forward without bias.</summary>
    [Theory]
    [MemberData(nameof(LayerShapes))]
    public void EveryBackwardWithDxMatchesNaive(bool transposed, int n, int c, int f, int h, int w, int kh, int kw, int s, int p, int op)
    {
        ConvShape g = ConvKernelTests.Shape(transposed, n, c, f, h, w, kh, kw, s, p, op);
        ConvKernelTests.BackwardSubsetsMatchNaive(g, [1, 3, 5, 7], 17);
    }

    /// <summary>ConvPixelTiles called directly, both directions and the weight gradient, on geometries the dispatch does not send to it, on one and
    /// three threads.</summary>
    [Theory]
    [MemberData(nameof(OddShapes))]
    [MemberData(nameof(LayerShapes))]
    public void AnyGeometryMatchesNaive(bool transposed, int n, int c, int f, int h, int w, int kh, int kw, int s, int p, int op)
    {
        ConvShape g = ConvKernelTests.Shape(transposed, n, c, f, h, w, kh, kw, s, p, op);
        float[] x = ConvKernelTests.Random(g.InputLength, 5), wt = ConvKernelTests.Random(g.WeightLength, 6);
        float[] b = ConvKernelTests.Random(g.OutChannels, 7), dy = ConvKernelTests.Random(g.OutputLength, 8);
        var (ey, edx, edw, edb) = ConvKernelTests.Naive(g, x, wt, b, dy);
        int saved = KernelThreads.Count;
        try
        {
            foreach (int threads in new[] { 1, 3 })
            {
                KernelThreads.Count = threads;
                // The direction each kind has here: consume (conv forward, convT dX), produce (conv dX, convT forward).
                float[] dx = [.. Enumerable.Repeat(1f, g.InputLength)];
                if (transposed) ConvPixelTiles.TransposedInputGradient(dy, wt, dx, g);
                else ConvPixelTiles.ConvInputGradient(dy, wt, dx, g);
                ConvKernelTests.Close([.. edx.Select(v => v + 1)], dx, $"dX ({threads} threads)");
                float[] y = new float[g.OutputLength], y0 = new float[g.OutputLength];
                if (transposed)
                {
                    ConvPixelTiles.TransposedForward(x, wt, b, y, g);
                    ConvPixelTiles.TransposedForward(x, wt, default, y0, g);
                }
                else
                {
                    ConvPixelTiles.ConvForward(x, wt, b, y, g);
                    ConvPixelTiles.ConvForward(x, wt, default, y0, g);
                }
                float[] dw = [.. Enumerable.Repeat(1f, g.WeightLength)], db = [.. Enumerable.Repeat(1f, g.OutChannels)];
                ConvPixelTiles.WeightGradient(x, dy, dw, db, g);
                ConvKernelTests.Close([.. edw.Select(v => v + 1)], dw, $"dW ({threads} threads)");
                ConvKernelTests.Close([.. edb.Select(v => v + 1)], db, $"dB ({threads} threads)");
                float[] dw2 = [.. Enumerable.Repeat(1f, g.WeightLength)];
                ConvPixelTiles.WeightGradient(x, dy, dw2, default, g);
                Assert.Equal(dw, dw2);
                ConvKernelTests.Close(ey, y, $"y ({threads} threads)");
                ConvKernelTests.Close([.. ey.Select((v, i) => v - b[i / (g.OutHeight * g.OutWidth) % g.OutChannels])], y0, "y without bias");
            }
        }
        finally { KernelThreads.Count = saved; }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void SameBitsOnASecondRun(bool transposed)
    {
        var g = transposed ? ConvShape.ConvTranspose(5, 32, 32, 14, 14, 3, 3, 2, 1, 1) : ConvShape.Conv(5, 64, 64, 14, 14, 3, 3, 2, 1);
        ConvKernelTests.SameBitsOnASecondRun(g, 43);
    }

    [Fact]
    public void ManyChannelLayersTakeThePath()
    {
        Assert.True(ConvPixelTiles.Applies(ConvShape.Conv(2, 32, 32, 28, 28, 3, 3, 2, 1)));                // e2
        Assert.True(ConvPixelTiles.Applies(ConvShape.ConvTranspose(2, 32, 32, 14, 14, 3, 3, 2, 1, 1)));    // d4
        Assert.True(ConvPixelTiles.Applies(ConvShape.Conv(2, 64, 64, 14, 14, 3, 3, 2, 1)));                // e4
        Assert.True(ConvPixelTiles.Applies(ConvShape.ConvTranspose(2, 64, 64, 7, 7, 3, 3, 2, 1, 1)));      // d2
        Assert.True(ConvPixelTiles.Applies(ConvShape.Conv(2, 32, 64, 14, 14, 3, 3, 1, 1)));                // e3
        Assert.True(ConvPixelTiles.Applies(ConvShape.ConvTranspose(2, 64, 64, 7, 7, 3, 3, 1, 1)));         // d1
        Assert.True(ConvPixelTiles.Applies(ConvShape.ConvTranspose(2, 64, 32, 14, 14, 3, 3, 1, 1)));       // d3
        Assert.True(ConvPixelTiles.Applies(ConvShape.Conv(2, 64, 128, 14, 14, 4, 4, 2, 1)));               // D2
        Assert.True(ConvPixelTiles.Applies(ConvShape.ConvTranspose(2, 128, 64, 7, 7, 4, 4, 2, 1)));        // G1
        Assert.False(ConvPixelTiles.Applies(ConvShape.Conv(2, 1, 32, 28, 28, 3, 3, 1, 1)));                // e1: one image channel
        Assert.False(ConvPixelTiles.Applies(ConvShape.ConvTranspose(2, 32, 1, 28, 28, 3, 3, 1, 1)));       // d5
        Assert.False(ConvPixelTiles.Applies(ConvShape.Conv(2, 1, 64, 28, 28, 4, 4, 2, 1)));                // D1
        Assert.False(ConvPixelTiles.Applies(ConvShape.ConvTranspose(2, 64, 1, 14, 14, 4, 4, 2, 1)));       // G2
        Assert.False(ConvPixelTiles.Applies(ConvShape.Conv(2, 64, 2, 28, 28, 3, 3, 1, 1)));                // RealNVP's 64 -> 2
        Assert.False(ConvPixelTiles.Applies(ConvShape.Conv(2, 4, 64, 28, 28, 3, 3, 1, 1)));                // four image channels
        Assert.False(ConvPixelTiles.Applies(ConvShape.Conv(2, 32, 32, 28, 28, 5, 5, 1, 2)));               // 5 x 5
        Assert.False(ConvPixelTiles.Applies(ConvShape.Conv(2, 32, 32, 28, 28, 3, 3, 3, 1)));               // stride 3
    }
}

// The stride-2 3 x 3 layers' product by im2col chunks (ConvChunked, ConvColumns.Chunks.cs) against the oracles: each
// chunk against the columns of the row-by-row im2col (chunks that start and end inside an output row, one column, the
// whole image), the kernels against the naive loops (1 and 3 threads, batch 1, odd sizes, output padding) and against
// the lowering they replace, the same bits on a second run, which shapes take the path, and bad ranges rejected.
using Latent.Tensors.Kernels;
using Latent.Tests.Tensors.Threading;

namespace Latent.Tests.Tensors;

[Collection(WorkerPoolCollection.Name)]
public class ConvChunkedTests
{
    public static IEnumerable<object[]> Shapes => new object[][]
    {
        // transposed, N, C, F, H, W, KH, KW, S, P, OP
        new object[] { false, 3, 32, 32, 28, 28, 3, 3, 2, 1, 0 },   // ConvVAE e2
        new object[] { true, 3, 32, 32, 14, 14, 3, 3, 2, 1, 1 },    // ConvVAE d4
        new object[] { false, 1, 3, 5, 32, 30, 3, 3, 2, 1, 0 },     // batch 1, 16 x 15 output, 5 filters (a partial 6-row panel)
        new object[] { true, 2, 7, 2, 12, 11, 3, 3, 2, 1, 1 },      // 12 x 11 input (132 columns), 2 output channels
        new object[] { false, 4, 2, 9, 26, 24, 3, 3, 2, 1, 0 },     // 13 x 12 output: chunks cross rows mid-way
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void MatchesNaive(bool transposed, int n, int c, int f, int h, int w, int kh, int kw, int s, int p, int op)
    {
        var g = transposed ? ConvShape.ConvTranspose(n, c, f, h, w, kh, kw, s, p, op) : ConvShape.Conv(n, c, f, h, w, kh, kw, s, p);
        Assert.True(ConvChunked.Applies(g), "the shape should take the chunked path");
        ConvKernelTests.MatchesNaiveOnOneAndThreeThreads(g);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void MatchesTheLowering(bool transposed, int n, int c, int f, int h, int w, int kh, int kw, int s, int p, int op)
    {
        var g = transposed ? ConvShape.ConvTranspose(n, c, f, h, w, kh, kw, s, p, op) : ConvShape.Conv(n, c, f, h, w, kh, kw, s, p);
        float[] x = ConvKernelTests.Random(g.InputLength, 31), wt = ConvKernelTests.Random(g.WeightLength, 32);
        float[] b = ConvKernelTests.Random(g.OutChannels, 33), dy = ConvKernelTests.Random(g.OutputLength, 34);
        var chunked = ConvKernelTests.Run(g, x, wt, b, dy);
        ConvChunked.Enabled = false;
        try
        {
            var lowered = ConvKernelTests.Run(g, x, wt, b, dy);
            ConvKernelTests.Close(lowered.y, chunked.y, "y");
            ConvKernelTests.Close(lowered.dx, chunked.dx, "dX");
            Assert.Equal(lowered.dw, chunked.dw);                            // the weight gradient takes the same path
        }
        finally { ConvChunked.Enabled = true; }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void SameBitsOnASecondRun(bool transposed)
    {
        var g = transposed ? ConvShape.ConvTranspose(5, 32, 32, 14, 14, 3, 3, 2, 1, 1) : ConvShape.Conv(5, 32, 32, 28, 28, 3, 3, 2, 1);
        ConvKernelTests.SameBitsOnASecondRun(g, 41);
    }

    [Theory]
    [InlineData(0, 64)]
    [InlineData(64, 64)]
    [InlineData(192, 4)]
    [InlineData(5, 1)]
    [InlineData(13, 29)]
    [InlineData(0, 196)]
    public void ChunksAreTheColumnsOfIm2Col(int j0, int nc)
    {
        var g = ConvShape.Conv(1, 3, 4, 28, 28, 3, 3, 2, 1);                  // 14 x 14 output, 27 rows
        int k = g.ColRows, ohw = g.ColCols;
        float[] image = ConvKernelTests.Random(g.InputLength, 42);
        var col = new float[k * ohw];
        ConvColumns.Im2ColDirect(image, g, col, ohw);
        var planes = new float[ConvColumns.ImagePlanesLength(g)];
        ConvColumns.SplitImage(image, g, planes);
        var chunk = new float[k * nc + 8];
        ConvColumns.Im2ColChunk(planes, g, j0, nc, chunk);
        for (int r = 0; r < k; r++)
            for (int j = 0; j < nc; j++)
                Assert.Equal(col[r * ohw + j0 + j], chunk[r * nc + j]);
    }

    [Fact]
    public void OnlyLargeStride2ThreeByThreeLayersTakeThePath()
    {
        Assert.True(ConvChunked.Applies(ConvShape.Conv(2, 32, 32, 28, 28, 3, 3, 2, 1)));            // e2
        Assert.False(ConvChunked.Applies(ConvShape.Conv(2, 64, 64, 14, 14, 3, 3, 2, 1)));           // e4: 7 x 7 columns
        Assert.False(ConvChunked.Applies(ConvShape.ConvTranspose(2, 64, 64, 7, 7, 3, 3, 2, 1, 1)));  // d2: 7 x 7
        Assert.False(ConvChunked.Applies(ConvShape.Conv(2, 32, 64, 14, 14, 3, 3, 1, 1)));           // stride 1
        Assert.False(ConvChunked.Applies(ConvShape.Conv(2, 64, 128, 14, 14, 4, 4, 2, 1)));          // 4 x 4
        Assert.False(ConvChunked.Applies(ConvShape.Conv(2, 1, 32, 28, 28, 3, 3, 2, 1)));            // one channel: ConvDirect
        Assert.False(ConvChunked.Applies(ConvShape.Conv(2, 4, 4, 29, 29, 3, 3, 2, 1)));             // output does not tile the image
    }

    [Fact]
    public void BadRangesAreNamedErrors()
    {
        var g = ConvShape.Conv(1, 2, 2, 28, 28, 3, 3, 2, 1);
        var planes = new float[ConvColumns.ImagePlanesLength(g)];
        Assert.Contains("outside", Assert.Throws<ArgumentException>(() => ConvColumns.Im2ColChunk(planes, g, 190, 10, new float[200])).Message, StringComparison.Ordinal);
        Assert.Contains("the chunk", Assert.Throws<ArgumentException>(() => ConvColumns.Im2ColChunk(planes, g, 0, 64, new float[64])).Message, StringComparison.Ordinal);
        Assert.Contains("tile", Assert.Throws<ArgumentException>(() => ConvColumns.SplitImage(new float[2 * 29 * 29], ConvShape.Conv(1, 2, 2, 29, 29, 3, 3, 2, 1), planes)).Message, StringComparison.Ordinal);
        Assert.Contains("the image needs", Assert.Throws<ArgumentException>(() => ConvColumns.SplitImage(new float[10], g, planes)).Message, StringComparison.Ordinal);
    }
}

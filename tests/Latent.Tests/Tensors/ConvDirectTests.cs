// The one-image-channel convolutions (ConvDirect, DirectGemm, ConvWindows) and the few-output-channel ones
// (ConvSmallOut) against the oracles: the naive direct loops (also for every subset of a backward's destinations)
// of ConvKernelTests for the whole kernels (forward, input, weight and bias gradients), im2col for the windows, a
// double-precision product for DirectGemm's AVX2 and portable tiles; odd sizes that leave partial tiles and vector
// tails, padding 0-2, strides 1-3, output padding, batch 1, one or three threads; and the same bits on a second run.
using Latent.Tensors.Kernels;
using Latent.Tests.Tensors.Threading;

namespace Latent.Tests.Tensors;

[Collection(WorkerPoolCollection.Name)]
public unsafe class ConvDirectTests
{
    public static IEnumerable<object[]> Shapes => new object[][]
    {
        // transposed, N, C, F, H, W, KH, KW, S, P, OP
        new object[] { false, 3, 1, 32, 28, 28, 3, 3, 1, 1, 0 },    // ConvVAE e1
        new object[] { true, 3, 32, 1, 28, 28, 3, 3, 1, 1, 0 },     // ConvVAE d5
        new object[] { false, 3, 1, 64, 28, 28, 4, 4, 2, 1, 0 },    // DCGAN D1
        new object[] { true, 3, 64, 1, 14, 14, 4, 4, 2, 1, 0 },     // DCGAN G2
        new object[] { false, 1, 1, 5, 9, 7, 3, 3, 1, 1, 0 },       // batch 1, odd sizes, M not a multiple of 3 or 4
        new object[] { false, 2, 1, 9, 11, 13, 3, 3, 2, 1, 0 },     // stride 2 on odd sizes, M = 9 (3-row tiles)
        new object[] { false, 2, 1, 7, 10, 9, 5, 5, 1, 2, 0 },      // 5 x 5, padding 2
        new object[] { false, 3, 1, 4, 9, 9, 3, 3, 3, 1, 0 },       // stride 3
        new object[] { false, 1, 1, 3, 6, 8, 4, 4, 2, 1, 0 },
        new object[] { false, 5, 1, 13, 13, 12, 2, 3, 2, 1, 0 },    // non-square kernel, 13 filters
        new object[] { true, 1, 7, 1, 9, 7, 3, 3, 1, 1, 0 },        // batch 1, odd sizes
        new object[] { true, 2, 18, 1, 6, 5, 3, 3, 2, 1, 1 },       // stride 2 with output padding
        new object[] { true, 3, 5, 1, 7, 7, 4, 4, 2, 1, 0 },
        new object[] { true, 2, 3, 1, 4, 5, 3, 3, 3, 1, 2 },        // stride 3, output padding 2
        new object[] { true, 2, 9, 1, 5, 6, 5, 5, 1, 2, 0 },
        new object[] { true, 9, 33, 1, 3, 4, 3, 3, 2, 1, 1 },       // more images than a dot group, C not a multiple of 4
        new object[] { false, 2, 1, 10, 9, 10, 4, 4, 2, 1, 0 },     // 16 taps, 10 filters: patch dots, a block of 6 and one of 4
        new object[] { true, 3, 4, 1, 7, 5, 4, 4, 2, 1, 0 },        // 16 taps, 4 channels: one block of 4, odd sizes
        new object[] { false, 2, 1, 10, 9, 10, 2, 4, 2, 1, 0 },     // 8 taps (2 x 4), 10 filters: tap-pair dots, blocks of 6 and 4
        new object[] { true, 3, 4, 1, 7, 5, 4, 2, 2, 1, 0 },        // 8 taps (4 x 2), 4 channels: tap pairs, one block of 4
        new object[] { false, 2, 1, 12, 7, 8, 2, 4, 2, 1, 0 },      // 8 taps (2 x 4), 12 filters: two blocks of 6
        new object[] { false, 2, 1, 8, 9, 11, 3, 3, 1, 1, 0 },      // 9 taps, 8 filters: tap-triple dots on 99-pixel planes
        new object[] { true, 2, 12, 1, 7, 9, 3, 3, 2, 1, 1 },       // 9 taps, 12 channels, stride 2 with output padding
    };

    // Few output channels over many input channels, stride 1, "same" size (ConvSmallOut: RealNVP's 64 -> 2C layers).
    public static IEnumerable<object[]> SmallOutShapes => new object[][]
    {
        new object[] { false, 2, 64, 2, 28, 28, 3, 3, 1, 1, 0 },    // RealNVP 64 -> 2 at 28 x 28
        new object[] { false, 9, 64, 8, 7, 7, 3, 3, 1, 1, 0 },      // 64 -> 8 at 7 x 7, more images than a dot group
        new object[] { false, 1, 8, 2, 6, 6, 3, 3, 1, 1, 0 },       // batch 1
        new object[] { false, 3, 16, 4, 7, 9, 3, 3, 1, 1, 0 },      // odd sizes
        new object[] { false, 2, 20, 3, 5, 6, 5, 5, 1, 2, 0 },      // 5 x 5, padding 2: F KK = 75 rows
        new object[] { false, 2, 13, 3, 4, 5, 1, 1, 1, 0, 0 },      // 1 x 1
    };

    [Theory]
    [MemberData(nameof(SmallOutShapes))]
    public void SmallOutMatchesNaive(bool transposed, int n, int c, int f, int h, int w, int kh, int kw, int s, int p, int op)
    {
        var g = ConvShape.Conv(n, c, f, h, w, kh, kw, s, p);
        Assert.False(transposed || op != 0);
        Assert.True(ConvSmallOut.Applies(g), "the shape should take the few-output-channel kernels");
        MatchesNaive(transposed, n, c, f, h, w, kh, kw, s, p, op);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void MatchesNaive(bool transposed, int n, int c, int f, int h, int w, int kh, int kw, int s, int p, int op)
    {
        var g = ConvKernelTests.Shape(transposed, n, c, f, h, w, kh, kw, s, p, op);
        Assert.True(ConvDirect.Applies(g) || ConvSmallOut.Applies(g), "the shape should take the direct kernels");
        ConvKernelTests.MatchesNaiveOnOneAndThreeThreads(g);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void SameBitsOnASecondRun(bool transposed)
    {
        var g = transposed ? ConvShape.ConvTranspose(6, 64, 1, 14, 14, 4, 4, 2, 1) : ConvShape.Conv(6, 1, 32, 28, 28, 3, 3, 1, 1);
        ConvKernelTests.SameBitsOnASecondRun(g, 5);
    }

    // One-image-channel shapes whose forward (conv) or input gradient (convT) run ConvDirect's multiply tiles, with 9
    // taps (weight gradient on the dot tiles too) and 16 (weight gradient on the lowering), odd sizes, batch 1.
    public static IEnumerable<object[]> PartialShapes => new object[][]
    {
        new object[] { false, 2, 1, 32, 28, 28, 3, 3, 1, 1, 0 },    // e1
        new object[] { true, 2, 32, 1, 28, 28, 3, 3, 1, 1, 0 },     // d5
        new object[] { false, 3, 1, 64, 28, 28, 4, 4, 2, 1, 0 },    // D1
        new object[] { true, 3, 64, 1, 14, 14, 4, 4, 2, 1, 0 },     // G2
        new object[] { false, 1, 1, 13, 11, 9, 3, 3, 2, 1, 0 },     // batch 1, 13 filters (a 1-row panel), 5 x 6 output
        new object[] { true, 1, 7, 1, 9, 7, 4, 4, 2, 1, 0 },        // batch 1, 7 channels, odd sizes
        new object[] { true, 2, 18, 1, 6, 5, 3, 3, 2, 1, 1 },       // stride 2 with output padding
        new object[] { false, 2, 1, 10, 9, 10, 4, 4, 2, 1, 0 },     // the patch dots: blocks of 6 and 4
        new object[] { true, 1, 4, 1, 7, 5, 4, 4, 2, 1, 0 },        // the patch dots: one block of 4, batch 1
        new object[] { false, 2, 1, 10, 9, 10, 2, 4, 2, 1, 0 },     // the tap-pair dots: blocks of 6 and 4
        new object[] { true, 1, 4, 1, 7, 5, 4, 2, 2, 1, 0 },        // the tap-pair dots: one block of 4, batch 1
        new object[] { false, 2, 1, 8, 9, 11, 3, 3, 1, 1, 0 },      // the tap-triple dots, odd sizes
    };

    [Fact]
    public void SixteenTapWeightGradientsTakeTheTapPairsWhereTheChannelsFitBlocksOfSixAndFour()
    {
        if (!DirectGemm.Avx2Tiles) return;                                         // the pairs are AVX2 tiles only
        Assert.True(ConvDirect.PairsApply(ConvShape.Conv(2, 1, 64, 28, 28, 4, 4, 2, 1)));               // D1 (ConvPatchDots first)
        Assert.True(ConvDirect.PairsApply(ConvShape.ConvTranspose(2, 64, 1, 14, 14, 4, 4, 2, 1)));      // G2 (ConvPatchDots first)
        Assert.True(ConvDirect.PairsApply(ConvShape.Conv(2, 1, 10, 9, 10, 4, 4, 2, 1)));
        Assert.True(ConvDirect.PairsApply(ConvShape.Conv(2, 1, 10, 9, 10, 2, 4, 2, 1)));                // 8 taps (4 x 4: ConvPatchDots first)
        Assert.False(ConvDirect.PairsApply(ConvShape.Conv(2, 1, 3, 6, 8, 4, 4, 2, 1)));                // 3 filters
        Assert.False(ConvDirect.PairsApply(ConvShape.Conv(2, 1, 32, 28, 28, 3, 3, 1, 1)));             // 9 taps: the triples
        Assert.False(ConvDirect.WeightGradientApplies(ConvShape.Conv(2, 1, 3, 6, 8, 4, 4, 2, 1)));     // stays on the lowering
        Assert.True(ConvDirect.TriplesApply(ConvShape.Conv(2, 1, 32, 28, 28, 3, 3, 1, 1)));             // e1
        Assert.True(ConvDirect.TriplesApply(ConvShape.ConvTranspose(2, 32, 1, 28, 28, 3, 3, 1, 1)));    // d5
        Assert.False(ConvDirect.TriplesApply(ConvShape.Conv(2, 1, 9, 11, 13, 3, 3, 2, 1)));             // 9 filters: dots reduced per call
    }

    /// <summary>
    /// Every subset of the backward's destinations (dX, dW, dB) and a forward without bias against the naive oracle: the
    /// one-channel kernels split one backward between ConvDirect and the lowering, and each part must do its share
    /// whichever other parts are asked for.
    /// </summary>
    [Theory]
    [MemberData(nameof(PartialShapes))]
    public void EverySubsetOfTheBackwardMatchesNaive(bool transposed, int n, int c, int f, int h, int w, int kh, int kw, int s, int p, int op)
    {
        var g = ConvKernelTests.Shape(transposed, n, c, f, h, w, kh, kw, s, p, op);
        Assert.True(ConvDirect.Applies(g));
        Assert.Equal(kh * kw == 9 || ConvDirect.PairsApply(g), ConvDirect.WeightGradientApplies(g));
        ConvKernelTests.BackwardSubsetsMatchNaive(g, Enumerable.Range(1, 7), 21);
    }

    [Fact]
    public void MultiChannelImagesKeepTheLowering()
    {
        Assert.False(ConvSmallOut.Applies(ConvShape.Conv(2, 64, 64, 8, 8, 3, 3, 1, 1)));  // many outputs
        Assert.False(ConvSmallOut.Applies(ConvShape.Conv(2, 64, 2, 8, 8, 3, 3, 2, 1)));   // stride 2
        Assert.False(ConvSmallOut.Applies(ConvShape.Conv(2, 64, 2, 8, 8, 3, 3, 1, 0)));   // not "same"
        Assert.False(ConvSmallOut.Applies(ConvShape.Conv(2, 4, 2, 8, 8, 3, 3, 1, 1)));    // few inputs per output
        Assert.False(ConvDirect.Applies(ConvShape.Conv(2, 3, 4, 8, 8, 3, 3, 1, 1)));
        Assert.False(ConvDirect.Applies(ConvShape.ConvTranspose(2, 4, 3, 4, 4, 3, 3, 2, 1, 1)));
        Assert.False(ConvDirect.Applies(ConvShape.Conv(2, 1, 4, 9, 9, 3, 3, 2, 0)));   // S OW = 8 < W = 9
        Assert.False(ConvDirect.Applies(ConvShape.Conv(2, 1, 4, 8, 8, 3, 3, 1, 0)));   // no padding: windows pass OW
    }

    [Theory]
    [InlineData(false, 28, 28, 3, 3, 1, 1, 0)]
    [InlineData(false, 28, 28, 4, 4, 2, 1, 0)]
    [InlineData(false, 11, 13, 3, 3, 2, 1, 0)]
    [InlineData(false, 10, 9, 5, 5, 1, 2, 0)]
    [InlineData(false, 13, 12, 2, 3, 2, 1, 0)]
    [InlineData(true, 5, 6, 3, 3, 2, 1, 1)]
    [InlineData(true, 4, 5, 3, 3, 3, 1, 2)]
    [InlineData(false, 9, 7, 3, 5, 1, 2, 0)]     // stride 1, OW = W, OH = H + 2: the block-copy path with rows past the image
    [InlineData(true, 7, 9, 3, 3, 1, 1, 0)]      // stride 1 transposed (ConvVAE d5's shape, smaller)
    [InlineData(false, 6, 8, 1, 3, 1, 1, 0)]     // one kernel row: OH = H + 2
    [InlineData(true, 14, 14, 4, 4, 2, 1, 0)]    // DCGAN G2's input gradient: stride 2, W = 2 OW, one row at a time
    [InlineData(false, 17, 20, 3, 3, 2, 1, 0)]   // stride 2, W = 2 OW = 20, odd H: phase 1 has one row fewer
    [InlineData(false, 16, 18, 4, 4, 2, 1, 0)]   // OW = 9: the row's second vector overlaps its first
    [InlineData(false, 20, 24, 5, 5, 2, 2, 0)]   // 5 x 5: column shifts -1, 0, 1 of the even columns, -1, 0 of the odd
    [InlineData(false, 12, 14, 4, 4, 2, 1, 0)]   // OW = 7: too narrow for the row path, gathered
    [InlineData(false, 16, 16, 4, 4, 2, 1, 0)]   // OW = 8: one vector a row
    [InlineData(false, 33, 36, 4, 4, 2, 1, 0)]   // OW = 18: three vectors a row (the loop over vectors)
    public void WindowsAreTheRowsOfIm2Col(bool transposed, int h, int w, int kh, int kw, int s, int p, int op)
    {
        var g = transposed ? ConvShape.ConvTranspose(1, 2, 1, h, w, kh, kw, s, p, op) : ConvShape.Conv(1, 1, 2, h, w, kh, kw, s, p);
        int ih = g.ImageHeight, iw = g.ImageWidth, ohw = g.ColCols, kk = kh * kw;
        float[] image = ConvKernelTests.Random(ih * iw, 9);
        var col = new float[kk * ohw];
        ConvColumns.Im2ColDirect(image, g, col, ohw);
        var win = new ConvWindows(g);
        var buf = new float[win.Length];
        Array.Fill(buf, float.NaN);                                          // Build writes every float a window reads
        fixed (float* pi = image, pb = buf) win.Build(pi, pb);
        for (int t = 0; t < kk; t++)
            for (int q = 0; q < ohw; q++)
                Assert.Equal(col[t * ohw + q], buf[win.Offs[t] + q]);
        // A second image refilled over the first one's buffers: only its pixels are written, the zeros stay.
        float[] second = ConvKernelTests.Random(ih * iw, 10);
        ConvColumns.Im2ColDirect(second, g, col, ohw);
        fixed (float* pi = second, pb = buf) win.Build(pi, pb, refill: true);
        for (int t = 0; t < kk; t++)
            for (int q = 0; q < ohw; q++)
                Assert.Equal(col[t * ohw + q], buf[win.Offs[t] + q]);
    }

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(4, 24, 9)]
    [InlineData(9, 784, 32)]
    [InlineData(32, 784, 9)]
    [InlineData(64, 196, 16)]
    [InlineData(13, 30, 9)]
    [InlineData(12, 50, 3)]
    [InlineData(5, 23, 17)]
    [InlineData(7, 97, 16)]
    public void MultiplyTilesMatchADoubleProduct(int m, int n, int k)
    {
        float[] a = ConvKernelTests.Random(m * k, 10), bRows = ConvKernelTests.Random(k * (n + 3), 11), bias = ConvKernelTests.Random(m, 12);
        float[] c0 = ConvKernelTests.Random(m * n, 13);
        var offs = new int[k];
        for (int t = 0; t < k; t++) offs[t] = t * (n + 3) + (t % 3);              // rows at arbitrary offsets
        var packed = new float[DirectGemm.PackedLength(m, k)];
        DirectGemm.PackA(false, m, k, a, k, packed);
        foreach (bool avx in DirectGemm.Avx2Tiles ? new[] { true, false } : new[] { false })
            foreach (DirectGemm.Store store in Enum.GetValues<DirectGemm.Store>())
            {
                float[] c = (float[])c0.Clone(), byPanels = (float[])c0.Clone();
                fixed (float* pp = packed, pb = bRows, pc = c, pbias = bias, pq = byPanels)
                fixed (int* po = offs)
                {
                    DirectGemm.Multiply(m, n, k, pp, pb, po, pc, n, store, pbias, avx);
                    DirectGemm.Multiply(m, n, k, pp, pb, po, pq, n, store, pbias, avx, panelsOuter: true);
                }
                Assert.Equal(c, byPanels);                                               // the loop order moves no bit
                for (int i = 0; i < m; i++)
                    for (int j = 0; j < n; j++)
                    {
                        double e = 0;
                        for (int t = 0; t < k; t++) e += (double)a[i * k + t] * bRows[offs[t] + j];
                        e += store switch { DirectGemm.Store.Accumulate => c0[i * n + j], DirectGemm.Store.Bias => bias[i], _ => 0 };
                        Assert.True(Math.Abs(e - c[i * n + j]) <= 1e-5 * (1 + Math.Abs(e)), $"{(avx ? "AVX2" : "portable")} {store} C[{i}, {j}]: {c[i * n + j]}, expected {e}");
                    }
            }
    }

    [Theory]
    [InlineData(4, 3, 8, 1)]
    [InlineData(32, 9, 784, 2)]
    [InlineData(64, 16, 196, 3)]
    [InlineData(5, 7, 13, 2)]
    [InlineData(1, 1, 3, 1)]
    [InlineData(9, 4, 20, 4)]
    public void DotTilesMatchADoubleProduct(int m, int r, int len, int images)
    {
        long lda = len + 2, aImage = m * lda + 5, bImage = r * (len + 1) + 16;
        float[] a = ConvKernelTests.Random((int)(images * aImage), 14), b = ConvKernelTests.Random((int)(images * bImage), 15);
        float[] d0 = ConvKernelTests.Random(m * r, 16);
        var offs = new int[r];
        for (int t = 0; t < r; t++) offs[t] = t * (len + 1);
        foreach (bool avx in DirectGemm.Avx2Tiles ? new[] { true, false } : new[] { false })
        {
            float[] d = (float[])d0.Clone();
            fixed (float* pa = a, pb = b, pd = d)
            fixed (int* po = offs)
                DirectGemm.Dot(m, r, len, images, pa, lda, aImage, pb, po, bImage, pd, r, avx);
            for (int i = 0; i < m; i++)
                for (int t = 0; t < r; t++)
                {
                    double e = d0[i * r + t];
                    for (int img = 0; img < images; img++)
                        for (int q = 0; q < len; q++) e += (double)a[img * aImage + i * lda + q] * b[img * bImage + offs[t] + q];
                    Assert.True(Math.Abs(e - d[i * r + t]) <= 1e-4 * (1 + Math.Abs(e)), $"{(avx ? "AVX2" : "portable")} D[{i}, {t}]: {d[i * r + t]}, expected {e}");
                }
        }
    }
}

// ImageGrid: tile placement and upscaling against a hand-computed layout, labels drawn, colour (RGB tiles interleaved,
// other channel counts averaged to gray), an earlier grid's pixels reused, bad layouts rejected.
using Latent.Reporting.Images;
using Latent.Data.Png;

namespace Latent.Tests.Reporting;

public class ImageGridTests
{
    [Fact]
    public void TilesLandWhereTheLayoutSays()
    {
        // 5 images of 2 x 3, 3 columns -> 2 rows; scale 2, padding 1. Image n has every pixel (n + 1) / 10.
        int n = 5, h = 2, w = 3;
        float[] images = Enumerable.Range(0, n * h * w).Select(i => (i / (h * w) + 1) / 10f).ToArray();
        PngImage grid = ImageGrid.Compose(images, n, h, w, new ImageGridOptions { Columns = 3, Scale = 2, Padding = 1, Background = 0 });
        Assert.Equal(1 + 3 * (6 + 1), grid.Width);
        Assert.Equal(1 + 2 * (4 + 1), grid.Height);
        for (int k = 0; k < n; k++)
        {
            int x0 = 1 + k % 3 * 7, y0 = 1 + k / 3 * 5;
            for (int y = 0; y < 4; y++)
                for (int x = 0; x < 6; x++)
                    Assert.Equal(PngImage.ToByte((k + 1) / 10f), grid.Pixels[(y0 + y) * grid.Width + x0 + x]);
            Assert.Equal(0, grid.Pixels[(y0 - 1) * grid.Width + x0]);       // padding above
        }
        Assert.Equal(0, grid.Pixels[(1 + 5) * grid.Width + 1 + 2 * 7]);     // the sixth slot is empty
    }

    [Fact]
    public void UpscalingIsNearestNeighbour()
    {
        float[] img = [0f, 1f, 0.5f, 0.25f]; // (2, 2)
        PngImage grid = ImageGrid.Compose(img, 1, 2, 2, new ImageGridOptions { Scale = 3, Padding = 0 });
        Assert.Equal((6, 6), (grid.Width, grid.Height));
        for (int y = 0; y < 6; y++)
            for (int x = 0; x < 6; x++)
                Assert.Equal(PngImage.ToByte(img[y / 3 * 2 + x / 3]), grid.Pixels[y * 6 + x]);
    }

    [Fact]
    public void LabelsAreDrawnInTheirMargins()
    {
        var images = new float[4 * 8 * 8];
        var opts = new ImageGridOptions { Columns = 2, Scale = 2, Padding = 2, Background = 0, RowLabels = ["real", "fake"], ColumnLabels = ["x", "x'"] };
        PngImage grid = ImageGrid.Compose(images, 4, 8, 8, opts);
        int labelW = 4 * GlyphFont.CellWidth + 4, labelH = GlyphFont.CellHeight + 2;
        Assert.Equal(labelW + 2 + 2 * 18, grid.Width);
        Assert.Equal(labelH + 2 + 2 * 18, grid.Height);
        int InkIn(int x0, int y0, int x1, int y1)
        {
            int lit = 0;
            for (int y = y0; y < y1; y++)
                for (int x = x0; x < x1; x++)
                    if (grid.Pixels[y * grid.Width + x] > 128) lit++;
            return lit;
        }
        Assert.True(InkIn(0, labelH, labelW, grid.Height) > 20, "row labels missing");
        Assert.True(InkIn(labelW, 0, grid.Width, labelH) > 5, "column labels missing");
        Assert.Equal(0, InkIn(labelW + 2, labelH + 2, grid.Width, grid.Height)); // images are black and untouched
    }

    [Fact]
    public void NanPixelsDrawBlackAndOutOfRangeClamps()
    {
        PngImage grid = ImageGrid.Compose([float.NaN, -3f, 7f], 1, 1, 3, new ImageGridOptions { Padding = 0 });
        Assert.Equal(new byte[] { 0, 0, 255 }, grid.Pixels);
    }

    [Fact]
    public void BadLayoutsAreRejectedWithReasons()
    {
        var e1 = Assert.Throws<ArgumentException>(() => ImageGrid.Compose(new float[10], 2, 2, 3));
        Assert.Contains("need 12 values, got 10", e1.Message, StringComparison.Ordinal);
        var e2 = Assert.Throws<ArgumentException>(() =>
            ImageGrid.Compose(new float[4], 4, 1, 1, new ImageGridOptions { Columns = 2, RowLabels = ["only one"] }));
        Assert.Contains("2 rows", e2.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => ImageGrid.Compose(new float[4], 4, 1, 1, new ImageGridOptions { Scale = 0 }));
    }

    [Fact]
    public void RgbTilesInterleaveTheirPlanesAndLabelsInkEveryChannel()
    {
        // 2 images of 3 x 2 x 2; image n's plane c has every pixel (10 n + c + 1) / 40
        int n = 2, h = 2, w = 2;
        float[] images = Enumerable.Range(0, n * 3 * h * w).Select(i => (10 * (i / 12) + i / 4 % 3 + 1) / 40f).ToArray();
        PngImage grid = ImageGrid.Compose(images, n, h, w, new ImageGridOptions { Columns = 2, Scale = 1, Padding = 1, Background = 0, Channels = 3 });
        Assert.Equal((PixelFormat.Rgb8, 7, 4), (grid.Format, grid.Width, grid.Height));
        for (int k = 0; k < n; k++)
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++)
                    for (int c = 0; c < 3; c++)
                        Assert.Equal(PngImage.ToByte((10 * k + c + 1) / 40f), grid.Pixels[((1 + y) * 7 + 1 + k * 3 + x) * 3 + c]);
        Assert.Equal([0, 0, 0], grid.Pixels[..3]);                              // padding

        // tiles of 8 x 8 (a label needs the height of a glyph cell), ink 1 over a black background
        float[] big = Enumerable.Range(0, n * 3 * 64).Select(i => (10 * (i / 192) + i / 64 % 3 + 1) / 40f).ToArray();
        var labelled = ImageGrid.Compose(big, n, 8, 8, new ImageGridOptions { Columns = 2, Scale = 2, Padding = 1, Background = 0, Channels = 3, RowLabels = ["ab"] });
        int lit = 0, labelW = 2 * GlyphFont.CellWidth + 4;
        for (int y = 0; y < labelled.Height; y++)
            for (int x = 0; x < labelW; x++)
            {
                var px = labelled.Pixels.AsSpan((y * labelled.Width + x) * 3, 3);
                Assert.True(px[0] == px[1] && px[1] == px[2], $"label pixel ({x}, {y}) is not gray");
                if (px[0] > 128) lit++;
            }
        Assert.True(lit > 5, "row label missing");
        for (int k = 0; k < n; k++)                                              // the tiles as without labels
            for (int c = 0; c < 3; c++)
                Assert.Equal(PngImage.ToByte((10 * k + c + 1) / 40f), labelled.Pixels[(1 * labelled.Width + labelW + 1 + k * 17) * 3 + c]);
    }

    [Fact]
    public void TwoChannelsAreAveragedToGray()
    {
        float[] images = [0.2f, 0.2f, 0.6f, 0.6f];   // one image of 2 x 1 x 2
        PngImage grid = ImageGrid.Compose(images, 1, 1, 2, new ImageGridOptions { Padding = 0, Channels = 2 });
        Assert.Equal(PixelFormat.Gray8, grid.Format);
        Assert.Equal([PngImage.ToByte(0.4f), PngImage.ToByte(0.4f)], grid.Pixels);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void AnEarlierGridOfTheSameSizeIsOverwrittenInPlace(int channels)
    {
        var opts = new ImageGridOptions { Columns = 2, Scale = 2, Channels = channels };
        float[] a = Enumerable.Range(0, 4 * channels * 9).Select(i => i % 7 / 7f).ToArray(), b = a.Select(v => 1 - v).ToArray();
        PngImage first = ImageGrid.Compose(a, 4, 3, 3, opts);
        PngImage again = ImageGrid.Compose(b, 4, 3, 3, opts, reuse: first);
        Assert.Same(first, again);
        Assert.Equal(ImageGrid.Compose(b, 4, 3, 3, opts).Pixels, again.Pixels);
        // a grid of another size or format is not reused
        Assert.NotSame(again, ImageGrid.Compose(b.AsSpan(0, 2 * channels * 9), 2, 3, 3, opts, reuse: again));
        Assert.NotSame(again, ImageGrid.Compose(new float[4 * (4 - channels) * 9], 4, 3, 3,
            new ImageGridOptions { Columns = 2, Scale = 2, Channels = 4 - channels }, reuse: again));
    }
}

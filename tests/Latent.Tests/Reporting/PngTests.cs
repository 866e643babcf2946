// PNG encoder/decoder: bit-exact round trips (every filter, gray and colour, odd sizes), decoding of files
// written by other encoders (fixtures from scripts/make_png_fixtures.py), and clear errors on bad files.
using System.Globalization;
using Latent.Data.Png;
using Latent.Tensors.Kernels;

namespace Latent.Tests.Reporting;

public class PngTests
{
    private static byte[] Noise(int n, int seed)
    {
        var b = new byte[n];
        new Random(seed).NextBytes(b);
        return b;
    }

    /// <summary>Smooth gradient plus noise: every filter type wins on some rows of such images.</summary>
    private static byte[] Photo(int w, int h, int c, int seed)
    {
        var rng = new Random(seed);
        var b = new byte[w * h * c];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                for (int k = 0; k < c; k++)
                    b[(y * w + x) * c + k] = (byte)(x * 7 + y * 3 + k * 50 + rng.Next(4));
        return b;
    }

    public static TheoryData<PixelFormat, PngFilter, int, int> RoundTripCases()
    {
        var d = new TheoryData<PixelFormat, PngFilter, int, int>();
        foreach (PixelFormat f in Enum.GetValues<PixelFormat>())
            foreach (PngFilter t in Enum.GetValues<PngFilter>())
                d.Add(f, t, 13, 7);
        d.Add(PixelFormat.Gray8, PngFilter.Adaptive, 1, 1);
        d.Add(PixelFormat.Rgb8, PngFilter.Paeth, 1, 9);
        d.Add(PixelFormat.Gray8, PngFilter.Average, 28, 28);
        return d;
    }

    [Theory]
    [MemberData(nameof(RoundTripCases))]
    public void RoundTripIsBitExact(PixelFormat format, PngFilter filter, int w, int h)
    {
        foreach (byte[] pixels in new[] { Noise(w * h * (int)format, w + h), Photo(w, h, (int)format, 3) })
        {
            byte[] png = PngEncoder.Encode(pixels, w, h, format, filter);
            PngImage back = PngDecoder.Decode(png);
            Assert.Equal((w, h, format), (back.Width, back.Height, back.Format));
            Assert.Equal(pixels, back.Pixels);
        }
    }

    [Fact]
    public void AdaptiveEncoderUsesSeveralFiltersAndCompressesSmoothImages()
    {
        byte[] pixels = Photo(64, 32, 3, 1);
        byte[] adaptive = PngEncoder.Encode(pixels, 64, 32, PixelFormat.Rgb8);
        byte[] none = PngEncoder.Encode(pixels, 64, 32, PixelFormat.Rgb8, PngFilter.None);
        Assert.True(adaptive.Length < none.Length, $"adaptive {adaptive.Length} bytes, unfiltered {none.Length}");
    }

    [Fact]
    public void FilterThenUnfilterIsIdentityForEveryType()
    {
        byte[] prior = Noise(21, 1), row = Noise(21, 2), filtered = new byte[21];
        for (var t = PngFilter.None; t <= PngFilter.Paeth; t++)
            foreach (int bpp in new[] { 1, 3, 4 })
            {
                PngFilters.Filter(t, row, prior, bpp, filtered);
                byte[] back = (byte[])filtered.Clone();
                PngFilters.Unfilter(t, prior, bpp, back);
                Assert.Equal(row, back);
            }
    }

    [Fact]
    public void TheComplexityScoreCompressesTheEncodersFilteredRows()
    {
        // one filtering for both layers: the IDAT of PngEncoder inflates to the stream ImageComplexity compresses
        byte[] pixels = Photo(28, 28, 1, 3);
        Fuzz.PngChunkList png = Fuzz.PngChunkList.TryParse(PngEncoder.Encode(pixels, 28, 28, PixelFormat.Gray8))!;
        using var inflated = new MemoryStream();
        using (var z = new System.IO.Compression.ZLibStream(new MemoryStream(png.ImageData()), System.IO.Compression.CompressionMode.Decompress)) z.CopyTo(inflated);
        var rows = new byte[28 * 29];
        PngFilters.FilterRows(pixels, 28, 1, PngFilter.Adaptive, rows);
        Assert.Equal(inflated.ToArray(), rows);
        using var smallest = new MemoryStream();
        using (var z = new System.IO.Compression.ZLibStream(smallest, System.IO.Compression.CompressionLevel.SmallestSize, leaveOpen: true)) z.Write(rows);
        Assert.Equal(8 * smallest.Length, Latent.Models.Scores.ImageComplexity.Bits(pixels, 28));
        Assert.True(rows.Where((_, i) => i % 29 == 0).Distinct().Count() > 1, "a photo's rows should take more than one filter");
    }

    [Theory]
    [InlineData(10, 20, 10, 20)]   // p = 20: |p-a| = 10, |p-b| = 0, |p-c| = 10 -> b
    [InlineData(10, 10, 10, 10)]   // all equal: a wins ties
    [InlineData(0, 100, 100, 0)]   // p = 0: |p-a| = 0 -> a
    [InlineData(100, 0, 50, 50)]   // p = 50: |p-a| = 50, |p-b| = 50, |p-c| = 0 -> c
    [InlineData(50, 60, 200, 50)]  // p = -90: 140, 150, 290 -> a
    public void PaethMatchesSpecification(int a, int b, int c, int expected) =>
        Assert.Equal(expected, PngFilters.Paeth(a, b, c));

    [Fact]
    public void Crc32MatchesKnownValues()
    {
        Assert.Equal(0xCBF43926u, Crc32.Compute("123456789"u8));
        Assert.Equal(0xAE426082u, Crc32.Compute("IEND"u8));
    }

    public static TheoryData<string> FixtureNames() =>
        [.. File.ReadAllLines(Path.Combine(FixtureDir, "index.txt")).Where(l => l.Length > 0).Select(l => l.Split(' ')[0])];

    private static string FixtureDir => Path.Combine(AppContext.BaseDirectory, "Fixtures", "Reporting", "png");

    [Theory]
    [MemberData(nameof(FixtureNames))]
    public void DecodesFilesFromOtherEncoders(string name)
    {
        string[] line = File.ReadAllLines(Path.Combine(FixtureDir, "index.txt")).First(l => l.StartsWith(name + " ", StringComparison.Ordinal)).Split(' ');
        PngImage img = PngDecoder.Load(Path.Combine(FixtureDir, name + ".png"));
        Assert.Equal(int.Parse(line[1], CultureInfo.InvariantCulture), img.Width);
        Assert.Equal(int.Parse(line[2], CultureInfo.InvariantCulture), img.Height);
        Assert.Equal(Enum.Parse<PixelFormat>(line[3]), img.Format);
        Assert.Equal(File.ReadAllBytes(Path.Combine(FixtureDir, name + ".raw")), img.Pixels);
    }

    [Fact]
    public void MnistStylePngConvertsToGrayFloats()
    {
        PngImage img = PngDecoder.Load(Path.Combine(FixtureDir, "gray8_mnist_pil.png"));
        float[] g = img.ToGrayFloats();
        byte[] raw = File.ReadAllBytes(Path.Combine(FixtureDir, "gray8_mnist_pil.raw"));
        Assert.Equal(784, g.Length);
        for (int i = 0; i < g.Length; i++) Assert.Equal(raw[i] / 255f, g[i], 1e-6f);
    }

    private static byte[] Valid() => PngEncoder.Encode(Photo(5, 4, 1, 0), 5, 4, PixelFormat.Gray8);

    [Fact]
    public void NotAPngIsRejected()
    {
        var e = Assert.Throws<InvalidDataException>(() => PngDecoder.Decode("GIF89a......"u8));
        Assert.Contains("Not a PNG file", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(20)]
    [InlineData(40)]
    [InlineData(-6)]
    public void TruncatedFileIsRejectedAsTruncated(int keep)
    {
        byte[] png = Valid();
        byte[] cut = png[..(keep > 0 ? keep : png.Length + keep)];
        var e = Assert.Throws<InvalidDataException>(() => PngDecoder.Decode(cut));
        Assert.True(e.Message.Contains("truncated", StringComparison.Ordinal) || e.Message.Contains("Not a PNG", StringComparison.Ordinal), e.Message);
    }

    [Fact]
    public void CorruptChunkIsRejectedByItsCrc()
    {
        byte[] png = Valid();
        png[20] ^= 0x01; // inside IHDR data (width starts at byte 16)
        var e = Assert.Throws<InvalidDataException>(() => PngDecoder.Decode(png));
        Assert.Contains("'IHDR'", e.Message, StringComparison.Ordinal);
        Assert.Contains("CRC", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadNamesTheFileInErrors()
    {
        string path = Path.Combine(Path.GetTempPath(), $"latent-bad-{Guid.NewGuid():N}.png");
        File.WriteAllBytes(path, Valid()[..30]);
        try
        {
            var e = Assert.Throws<InvalidDataException>(() => PngDecoder.Load(path));
            Assert.Contains(path, e.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void EncoderRejectsWrongBufferLength()
    {
        var e = Assert.Throws<ArgumentException>(() => PngEncoder.Encode(new byte[10], 4, 3, PixelFormat.Gray8));
        Assert.Contains("needs 12 bytes, got 10", e.Message, StringComparison.Ordinal);
    }

    /// <summary>The compressed rows are written as IDAT chunks of at most 32 KB (libpng's way; no large buffer for the
    /// whole stream): an incompressible image takes several, the last one shorter, and decodes exactly; a tiny image
    /// still has its one chunk.</summary>
    [Fact]
    public void LargeImagesAreWrittenInSeveralIdatChunks()
    {
        byte[] pixels = Noise(300 * 300 * 3, 11);
        byte[] png = PngEncoder.Encode(pixels, 300, 300, PixelFormat.Rgb8);
        var idat = Fuzz.PngChunkList.TryParse(png)!.Chunks.Where(c => c.Type == "IDAT").Select(c => c.Data.Length).ToList();
        Assert.True(idat.Count >= 8, $"{idat.Count} IDAT chunks");
        Assert.All(idat[..^1], n => Assert.Equal(32768, n));
        Assert.InRange(idat[^1], 1, 32768);
        Assert.Equal(pixels, PngDecoder.Decode(png).Pixels);
        Assert.Single(Fuzz.PngChunkList.TryParse(PngEncoder.Encode([7], 1, 1, PixelFormat.Gray8))!.Chunks, c => c.Type == "IDAT");
    }
}

// Hostile PNG files (issue 12, items 9 and 11): headers that declare huge images over tiny data, damaged zlib
// streams, and the header-only read. Each bomb must be refused with a clear InvalidDataException, quickly, and
// before anything sized by the header is allocated (measured with GC.GetAllocatedBytesForCurrentThread).
using System.Diagnostics;
using Latent.Data.Png;
using Latent.Tensors.Kernels;

namespace Latent.Tests.Reporting;

public sealed class PngHostileTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static byte[] Zeros(int n) => PngBuilder.Zlib(new byte[n]);

    /// <summary>Files that declare far more pixel data than they hold, and the message each refusal gives.</summary>
    public static TheoryData<string, byte[], string> Bombs() => new()
    {
        // 16384 x 16384 RGBA16 over 10 bytes of data: the filtered size (2^31 + 16384) overflowed an int before.
        { "rgba16-16384-square", PngBuilder.File(PngBuilder.Ihdr(16384, 16384, 16, 6), Zeros(10)), "at most 67108864 are read" },
        // 17779 x 11027 16-bit interlaced in about 460 bytes: 1.18 GB were allocated before any pixel was read.
        { "gray16-interlaced-17779x11027", PngBuilder.File(PngBuilder.Ihdr(17779, 11027, 16, 0, interlaced: true), Zeros(400)), "at most 67108864 are read" },
        // within the pixel limit (8000 x 8000 = 64 M), but 512 MB of 16-bit RGBA cannot come out of 200 bytes.
        { "rgba16-8000-square-200B", PngBuilder.File(PngBuilder.Ihdr(8000, 8000, 16, 6), Zeros(200)), "compressed bytes can hold (deflate expands at most 1032:1)" },
        // one row of 1,000,000 RGBA16 pixels (8 MB) from 30 bytes
        { "rgba16-one-wide-row", PngBuilder.File(PngBuilder.Ihdr(1_000_000, 1, 16, 6), Zeros(30)), "compressed bytes can hold" },
        // the largest legal header
        { "max-header", PngBuilder.File(PngBuilder.Ihdr(int.MaxValue, int.MaxValue, 16, 6, interlaced: true), Zeros(10)), "at most 1000000 pixels a side" },
    };

    [Theory]
    [MemberData(nameof(Bombs))]
    public void BombsAreRefusedFastWithoutLargeAllocations(string name, byte[] png, string expected)
    {
        string path = _dir.File(name + ".png");
        File.WriteAllBytes(path, png);
        string small = _dir.File("small.png");                                            // JIT the decoder outside the measurement
        File.WriteAllBytes(small, PngBuilder.File(PngBuilder.Ihdr(2, 2, 8, 0), Zeros(6)));
        Assert.Equal(2, PngDecoder.Load(small).Width);

        long before = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();
        var fromBytes = Assert.Throws<InvalidDataException>(() => PngDecoder.Decode(png));
        var fromFile = Assert.Throws<InvalidDataException>(() => PngDecoder.Load(path));
        clock.Stop();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Contains(expected, fromBytes.Message, StringComparison.Ordinal);
        Assert.Contains(path, fromFile.Message, StringComparison.Ordinal);
        Assert.Contains(expected, fromFile.Message, StringComparison.Ordinal);
        Assert.True(allocated < 16 << 20, $"{name}: {allocated} bytes allocated to refuse a {png.Length}-byte file");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"{name}: refused in {clock.Elapsed}");
    }

    [Fact]
    public void LargeHeadersFromOtherLimitsAndCustomLimits()
    {
        byte[] png = PngEncoder.Encode(new byte[11 * 10], 11, 10, PixelFormat.Gray8);
        Assert.Equal(11, PngDecoder.Decode(png, new PngLimits { MaxPixels = 110 }).Width);
        var e = Assert.Throws<InvalidDataException>(() => PngDecoder.Decode(png, new PngLimits { MaxPixels = 109 }));
        Assert.Contains("PNG image 11 x 10 is too large: 110 pixels, at most 109 are read (PngLimits.MaxPixels)", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<InvalidDataException>(() => PngDecoder.Decode(png, new PngLimits { MaxSide = 10 }));
        Assert.Contains("at most 10 pixels a side", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => PngDecoder.Decode(png, new PngLimits { MaxPixels = 0 }));
    }

    [Fact]
    public void MaximallyCompressedImageIsNotMistakenForABomb()
    {
        // 4096 x 4096 zeros: zlib reaches close to deflate's 1032:1, which the bound must still allow.
        byte[] png = PngEncoder.Encode(new byte[4096 * 4096], 4096, 4096, PixelFormat.Gray8, PngFilter.None);
        Assert.True(png.Length < 4096L * 4097 / 500, $"{png.Length} bytes: not a high-ratio case");
        PngImage img = PngDecoder.Decode(png);
        Assert.Equal((4096, 4096), (img.Width, img.Height));
        Assert.All(img.Pixels, p => Assert.Equal(0, p));
    }

    [Fact]
    public void FilteredSizeIsExactAndCannotOverflow()
    {
        Assert.Equal(4 * (1 + 5), new PngHeader(5, 4, 8, 0, false).FilteredSize());
        // 8 x 8 gray8 Adam7: passes of 1x1, 1x1, 2x1, 2x2, 4x2, 4x4, 8x4 pixels, a filter byte per row
        Assert.Equal(2 + 2 + 3 + 6 + 10 + 20 + 36, new PngHeader(8, 8, 8, 0, true).FilteredSize());
        Assert.Equal(3 * (1 + 1), new PngHeader(3, 3, 1, 0, false).FilteredSize());        // 3 one-bit samples fit one byte
        Assert.Equal(long.MaxValue, new PngHeader(int.MaxValue, int.MaxValue, 16, 6, true).FilteredSize());
        Assert.Equal((long)int.MaxValue * int.MaxValue, new PngHeader(int.MaxValue, int.MaxValue, 16, 6, true).Pixels);
    }

    /// <summary>Damaged zlib streams in the IDAT chunk of an otherwise valid 4 x 4 gray image.</summary>
    public static TheoryData<string, byte[]> DamagedZlib() => new()
    {
        // FDICT set: zlib asks for a preset dictionary; .NET threw ZLibException "unexpected error code", naming no file
        { "preset-dictionary", [0x78, 0x20, 0x12, 0x34, 0x56, 0x78, 0x63, 0x60, 0x00, 0x00] },
        { "bad-header-check", [0x78, 0x00, 0x63, 0x60, 0x00, 0x00, 0x00, 0x01] },
        { "reserved-block-type", [0x78, 0x9C, 0x07, 0x00, 0x00, 0x00, 0x00, 0x00] },
        { "distance-too-far-back", Convert.FromHexString("789C03020000000001") },   // a match before any output
    };

    [Theory]
    [MemberData(nameof(DamagedZlib))]
    public void DamagedZlibIsCorruptCompressedDataNamingTheFile(string name, byte[] idat)
    {
        string path = _dir.File(name + ".png");
        File.WriteAllBytes(path, PngBuilder.File(PngBuilder.Ihdr(4, 4, 8, 0), idat));
        var e = Assert.Throws<InvalidDataException>(() => PngDecoder.Load(path));
        Assert.True(e.Message.StartsWith($"{path}: corrupt compressed image data (IDAT):", StringComparison.Ordinal), e.Message);
    }

    [Fact]
    public void TooLittleImageDataIsTruncated()
    {
        byte[] png = PngBuilder.File(PngBuilder.Ihdr(4, 4, 8, 0), PngBuilder.Zlib(new byte[3 * 5]));
        var e = Assert.Throws<InvalidDataException>(() => PngDecoder.Decode(png));
        Assert.Contains("PNG image data is truncated: 15 of 20 bytes after decompression", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadHeaderReadsOnlyTheHeader()
    {
        // a real header over garbage: the header is read (any size, no limit), decoding is refused
        byte[] png = PngBuilder.File(PngBuilder.Ihdr(16384, 16384, 8, 0), Zeros(1000));
        png[^20] ^= 0xFF;                                                                   // breaks the IDAT CRC
        string path = _dir.File("huge.png");
        File.WriteAllBytes(path, png);
        long before = GC.GetAllocatedBytesForCurrentThread();
        PngHeader h = PngDecoder.ReadHeader(path);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 64 << 10);
        Assert.Equal(new PngHeader(16384, 16384, 8, 0, false), h);
        Assert.Throws<InvalidDataException>(() => PngDecoder.Load(path));

        Assert.Equal(new PngHeader(3, 2, 16, 6, true), PngDecoder.ReadHeader(PngBuilder.File(PngBuilder.Ihdr(3, 2, 16, 6, true), [])));
        File.WriteAllText(path, "not a png, but long enough to hold a header");
        var e = Assert.Throws<InvalidDataException>(() => PngDecoder.ReadHeader(path));
        Assert.Equal($"{path}: Not a PNG file: the first 8 bytes are not the PNG signature (89 50 4E 47 0D 0A 1A 0A).", e.Message);
        File.WriteAllBytes(path, png[..30]);
        e = Assert.Throws<InvalidDataException>(() => PngDecoder.ReadHeader(path));
        Assert.Contains("truncated: 30 bytes, too few for the signature and the IHDR chunk", e.Message, StringComparison.Ordinal);
        png[20] ^= 1;
        File.WriteAllBytes(path, png);
        e = Assert.Throws<InvalidDataException>(() => PngDecoder.ReadHeader(path));
        Assert.Contains("PNG chunk 'IHDR' at offset 8 is corrupt: CRC", e.Message, StringComparison.Ordinal);
    }
}

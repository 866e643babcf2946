// ImageFile: every format read decodes to the pixels it was written from (lossless formats exactly, JPEG within
// its quantisation), colour is told from the header, a file whose bytes are no image (or are cut short) is an
// InvalidDataException naming it, and an image bomb (a header declaring a huge size) is refused from the header,
// before any pixel buffer is allocated, by ImageSharp's formats as by the PNG decoder.
using System.Diagnostics;
using Latent.Data.Images;
using Latent.Data.Png;

namespace Latent.Tests.Data.Images;

public sealed class ImageFileTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData(".png", 0)]
    [InlineData(".bmp", 0)]
    [InlineData(".gif", 0)]
    [InlineData(".tif", 0)]
    [InlineData(".webp", 0)]
    [InlineData(".jpg", 6)]
    public void EveryFormatDecodesToTheLevelsItWasWrittenFrom(string ext, int tolerance)
    {
        string path = _dir.Write("g" + ext, ImageSamples.Gray(ext));
        ImageFileInfo info = ImageFile.Identify(path);
        Assert.Equal((12, 9), (info.Width, info.Height));
        PngImage img = ImageFile.Load(path);
        Assert.Equal((12, 9), (img.Width, img.Height));
        float[] gray = img.ToGrayFloats();
        byte[] want = ImageSamples.GrayLevels(12, 9);
        for (int i = 0; i < want.Length; i++)
            Assert.True(Math.Abs(gray[i] * 255 - want[i]) <= tolerance + 0.01, $"{ext}: pixel {i} is {gray[i] * 255:0.0}, written {want[i]}");
    }

    [Theory]
    [InlineData(".png")]
    [InlineData(".jpg")]
    [InlineData(".bmp")]
    [InlineData(".tif")]
    [InlineData(".webp")]
    public void ColourIsToldFromTheHeader(string ext)
    {
        Assert.True(ImageFile.Identify(_dir.Write("c" + ext, ImageSamples.Colour(ext))).Colour, $"{ext} colour");
        string gray = _dir.Write("g" + ext, ImageSamples.Gray(ext));
        if (ext is ".png" or ".jpg") Assert.False(ImageFile.Identify(gray).Colour, $"{ext} gray");
        float[] rgb = ImageFile.Load(_dir.Write("c2" + ext, ImageSamples.Colour(ext))).ToRgbFloats();   // (3, 6, 8)
        int tol = ext == ".jpg" ? 12 : 0;
        Assert.True(Math.Abs(rgb[0 * 48 + 1 * 8 + 3] * 255 - 60) <= tol + 0.01);      // R at (1, 3) = 20 x
        Assert.True(Math.Abs(rgb[1 * 48 + 1 * 8 + 3] * 255 - 20) <= tol + 0.01);      // G = 20 y
        Assert.True(Math.Abs(rgb[2 * 48 + 1 * 8 + 3] * 255 - 200) <= tol + 0.01);     // B
    }

    [Fact]
    public void NotAnImageAndTruncatedFilesAreInvalidDataNamingTheFile()
    {
        string junk = _dir.Write("junk.jpg", "this is not a picture at all"u8.ToArray());
        var e = Assert.Throws<InvalidDataException>(() => ImageFile.Load(junk));
        Assert.StartsWith(junk + ": not an image of a format Latent reads (PNG, JPEG, BMP, GIF, TIFF and WebP)", e.Message, StringComparison.Ordinal);
        foreach (string ext in new[] { ".jpg", ".bmp", ".gif", ".tif", ".webp" })
        {
            byte[] whole = ImageSamples.Colour(ext, 40, 30);
            string cut = _dir.Write("cut" + ext, whole[..(whole.Length / 3)]);
            var t = Record.Exception(() => ImageFile.Load(cut));
            Assert.True(t is InvalidDataException, $"{ext} cut to a third: {t?.GetType().Name ?? "accepted"}");
            Assert.StartsWith(cut + ": ", t!.Message, StringComparison.Ordinal);
        }
        Assert.Throws<FileNotFoundException>(() => ImageFile.Load(_dir.File("missing.jpg")));
    }

    [Fact]
    public void AJpegBombIsRefusedFromItsHeaderBeforeDecoding()
    {
        // a real 16 x 16 JPEG whose SOF0 header is patched to declare 60000 x 60000 pixels (3.6 Gpixel)
        byte[] jpeg = ImageSamples.Colour(".jpg", 16, 16);
        int sof = IndexOfMarker(jpeg, 0xC0);
        Assert.True(sof > 0, "the encoder wrote no baseline SOF0 marker");
        jpeg[sof + 5] = 60000 >> 8; jpeg[sof + 6] = 60000 & 0xFF;   // height
        jpeg[sof + 7] = 60000 >> 8; jpeg[sof + 8] = 60000 & 0xFF;   // width
        string bomb = _dir.Write("bomb.jpg", jpeg);
        Assert.Throws<InvalidDataException>(() => ImageFile.Load(bomb));                       // warm up
        long before = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();
        var e = Assert.Throws<InvalidDataException>(() => ImageFile.Load(bomb));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Contains("the jpeg header declares 60000 x 60000 pixels, over the limit of 67108864 pixels", e.Message, StringComparison.Ordinal);
        Assert.Contains("refused before decoding", e.Message, StringComparison.Ordinal);
        Assert.True(allocated < 4 << 20, $"{allocated} bytes allocated to refuse it");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"refused in {clock.Elapsed}");
        Assert.Contains("60000 x 60000", Assert.Throws<InvalidDataException>(() => ImageFile.Identify(bomb)).Message, StringComparison.Ordinal);
        // a smaller limit applies to every format alike
        string small = _dir.Write("small.bmp", ImageSamples.Gray(".bmp", 40, 30));
        Assert.Contains("over the limit of 100 pixels", Assert.Throws<InvalidDataException>(() => ImageFile.Load(small, new PngLimits { MaxPixels = 100 })).Message, StringComparison.Ordinal);
    }

    private static int IndexOfMarker(byte[] jpeg, byte marker)
    {
        for (int i = 2; i + 1 < jpeg.Length; i++)
            if (jpeg[i] == 0xFF && jpeg[i + 1] == marker) return i;
        return -1;
    }

    [Fact]
    public void ADeviceBehindAnImageNameIsRefusedByPath()
    {
        string z = _dir.File("z.jpg");
        File.CreateSymbolicLink(z, "/dev/zero");
        Assert.Contains("is a character device", Assert.ThrowsAny<IOException>(() => ImageFile.Load(z)).Message, StringComparison.Ordinal);
    }
}

// ImageFolder: a folder of PNGs (ours and Pillow's) loads as one (N, H, W) batch in name order; mixed sizes,
// empty and missing folders, corrupt files, and hostile entries (issue 12, items 10 and 11: a symbolic link to
// /dev/zero, a FIFO, a link loop, an oversized file, a huge image among small ones) are clear errors naming the
// file, found without hanging, without reading a device and without decoding the huge image.
using System.Diagnostics;
using System.IO.Compression;
using Latent.Data.Images;
using Latent.Data.Png;
using Latent.Tests.Reporting;

namespace Latent.Tests.Data.Images;

public sealed class ImageFolderTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"latent-imagefolder-{Guid.NewGuid():N}");

    public ImageFolderTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "Reporting", "png", name);

    private string Put(string name, int w, int h)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, PngEncoder.Encode(new byte[w * h], w, h, PixelFormat.Gray8));
        return path;
    }

    [Fact]
    public void LoadsImagesInNameOrderAsGrayFloats()
    {
        File.Copy(Fixture("gray8_mnist_pil.png"), Path.Combine(_dir, "b.png"));
        var rgb = new byte[28 * 28 * 3];
        for (int i = 0; i < 28 * 28; i++) rgb[3 * i] = rgb[3 * i + 1] = rgb[3 * i + 2] = (byte)(i % 256);
        File.WriteAllBytes(Path.Combine(_dir, "a.png"), PngEncoder.Encode(rgb, 28, 28, PixelFormat.Rgb8));
        File.WriteAllText(Path.Combine(_dir, "readme.txt"), "not an image");

        foreach (ImageFolderImages set in new[] { ImageFolder.LoadGray(_dir), ImageFolder.LoadGray(_dir, 28, 28) })
        {
            Assert.Equal((2, 28, 28), (set.Count, set.Height, set.Width));
            Assert.Equal(["a.png", "b.png"], set.Names);
            Assert.Equal(Path.Combine(_dir, "a.png"), set.Files[0]);
            Assert.Equal(100 / 255f, set.Pixels[100], 1e-5f); // gray RGB keeps its level
            byte[] mnist = File.ReadAllBytes(Fixture("gray8_mnist_pil.raw"));
            for (int i = 0; i < 784; i++) Assert.Equal(mnist[i] / 255f, set.Pixels[784 + i], 1e-6f);
        }
    }

    [Fact]
    public void MixedSizesNameTheOddFile()
    {
        Put("a.png", 2, 2);
        Put("b.png", 3, 2);
        var e = Assert.Throws<ImageSizeException>(() => ImageFolder.LoadGray(_dir));
        Assert.Contains("b.png is 3 x 2 pixels but a.png is 2 x 2; all images in a folder must have the same size", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<ImageSizeException>(() => ImageFolder.LoadGray(_dir, 2, 3));
        Assert.Equal($"{Path.Combine(_dir, "a.png")} is 2 x 2 pixels, but 3 x 2 are needed; resize it or remove it from the folder.", e.Message);
        Assert.Equal((Path.Combine(_dir, "a.png"), 2, 2, 3, 2), (e.Path, e.Width, e.Height, e.ExpectedWidth, e.ExpectedHeight));
    }

    [Fact]
    public void SizesAreCheckedFromEveryHeaderBeforeAnyImageIsDecoded()
    {
        string a = Put("a.png", 4, 4);
        byte[] broken = File.ReadAllBytes(a);
        broken[45] ^= 0xFF;                                   // inside IDAT: a.png cannot be decoded, its header is fine
        File.WriteAllBytes(a, broken);
        Put("b.png", 5, 4);
        var e = Assert.Throws<ImageSizeException>(() => ImageFolder.LoadGray(_dir, 4, 4));
        Assert.Contains("b.png is 5 x 4 pixels", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AReallyHugeImageAmongSmallOnesIsRefusedByItsHeader()
    {
        // a 16384 x 16384 gray PNG of real data (about 0.3 MB): decoding it would take 268 MB of pixels and 1 GB of floats
        Put("a.png", 28, 28);
        string huge = Path.Combine(_dir, "huge.png");
        using (var ms = new MemoryStream())
        {
            using (var z = new ZLibStream(ms, CompressionLevel.Fastest, leaveOpen: true))
            {
                var row = new byte[1 + 16384];
                for (int y = 0; y < 16384; y++) z.Write(row);
            }
            File.WriteAllBytes(huge, PngBuilder.File(PngBuilder.Ihdr(16384, 16384, 8, 0), ms.ToArray()));
        }
        Assert.Equal(16384, PngDecoder.ReadHeader(huge).Width);
        var generous = new PngLimits { MaxPixels = 1L << 30 };  // the decoder's own limit would not stop it
        Assert.Throws<ImageSizeException>(() => ImageFolder.LoadGray(_dir, 28, 28, generous));                 // warm up

        long before = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();
        var e = Assert.Throws<ImageSizeException>(() => ImageFolder.LoadGray(_dir, 28, 28, generous));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Contains("huge.png is 16384 x 16384 pixels, but 28 x 28 are needed", e.Message, StringComparison.Ordinal);
        Assert.True(allocated < 1 << 20, $"{allocated} bytes allocated to refuse it");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"refused in {clock.Elapsed}");
    }

    [Fact]
    public void EmptyMissingAndCorruptFoldersAreClearErrors()
    {
        Assert.Contains("holds no images (PNG, JPEG, BMP, GIF, TIFF and WebP)", Assert.Throws<InvalidDataException>(() => ImageFolder.LoadGray(_dir)).Message, StringComparison.Ordinal);
        Assert.Empty(ImageFolder.List(_dir));
        Assert.Throws<DirectoryNotFoundException>(() => ImageFolder.LoadGray(Path.Combine(_dir, "nope")));
        File.WriteAllBytes(Path.Combine(_dir, "x.png"), "not a png at all, long enough for a header"u8.ToArray());
        var e = Assert.Throws<InvalidDataException>(() => ImageFolder.LoadGray(_dir));
        Assert.Contains("x.png", e.Message, StringComparison.Ordinal);
        Assert.Contains("not an image of a format Latent reads (PNG, JPEG, BMP, GIF, TIFF and WebP): its first bytes are 6E6F74206120706E", e.Message, StringComparison.Ordinal);
    }

    /// <summary>Runs <paramref name="load"/> on another thread and fails (instead of hanging) after 10 s.</summary>
    private static Exception Refusal(Func<object> load)
    {
        var task = Task.Run(load);
        Assert.True(((IAsyncResult)task).AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(10)), "the folder reader hangs");
        Assert.True(task.IsFaulted, "the folder was read without an error");
        return task.Exception!.InnerException!;
    }

    [Fact]
    public void SymbolicLinkToADeviceIsRefusedByPath()
    {
        Put("a.png", 2, 2);
        string z = Path.Combine(_dir, "z.png");
        File.CreateSymbolicLink(z, "/dev/zero");
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.IsType<IOException>(Refusal(() => ImageFolder.LoadGray(_dir, 2, 2)));
        Assert.Equal($"{z} (a symbolic link to /dev/zero) is a character device, not a regular file; only regular files are read: remove it or replace it with the file itself.", e.Message);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 16 << 20);
        Assert.Contains("is a character device", Assert.ThrowsAny<IOException>(() => PngDecoder.Load(z)).Message, StringComparison.Ordinal);
        Assert.Contains("is a character device", Assert.ThrowsAny<IOException>(() => PngDecoder.ReadHeader(z)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FifoIsRefusedWithoutWaitingForAWriter()
    {
        string f = Path.Combine(_dir, "f.png");
        UnixFifo.Create(f);
        var e = Assert.IsType<IOException>(Refusal(() => ImageFolder.LoadGray(_dir)));
        Assert.Equal($"{f} is a FIFO (named pipe), not a regular file; only regular files are read: remove it or replace it with the file itself.", e.Message);
        File.CreateSymbolicLink(Path.Combine(_dir, "a.png"), f);
        e = Assert.IsType<IOException>(Refusal(() => ImageFolder.LoadGray(_dir)));
        Assert.Contains("a.png (a symbolic link to " + f + ") is a FIFO", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SymbolicLinkLoopsAndDanglingLinksAreRefusedByPath()
    {
        string a = Path.Combine(_dir, "a.png"), b = Path.Combine(_dir, "b.png");
        File.CreateSymbolicLink(a, b);
        File.CreateSymbolicLink(b, a);
        var e = Assert.IsType<IOException>(Refusal(() => ImageFolder.LoadGray(_dir)));
        Assert.Equal($"{a} is a symbolic link that loops (or nests too deeply); replace it with the file itself.", e.Message);
        File.Delete(b);
        var missing = Assert.IsType<FileNotFoundException>(Refusal(() => ImageFolder.LoadGray(_dir)));
        Assert.Equal($"{a} is a symbolic link to {b}, which does not exist; fix or remove the link.", missing.Message);
    }

    [Fact]
    public void SymbolicLinkToARegularPngIsRead()
    {
        string real = Put("real.data", 3, 2);
        File.CreateSymbolicLink(Path.Combine(_dir, "link.png"), real);
        Assert.Equal((1, 2, 3), (ImageFolder.LoadGray(_dir).Count, ImageFolder.LoadGray(_dir).Height, ImageFolder.LoadGray(_dir).Width));
    }

    [Fact]
    public void FilesOverTheSizeLimitAreRefusedBeforeTheyAreRead()
    {
        string a = Put("a.png", 8, 8);
        long size = new FileInfo(a).Length;
        Assert.Equal(1, ImageFolder.LoadGray(_dir, new PngLimits { MaxFileBytes = size }).Count);
        var e = Assert.Throws<InvalidDataException>(() => ImageFolder.LoadGray(_dir, new PngLimits { MaxFileBytes = size - 1 }));
        Assert.Equal($"{a} is {size} bytes, more than the limit of {size - 1} bytes for one image; use a smaller file or raise the limit.", e.Message);
        Assert.Equal(256L << 20, PngLimits.Default.MaxFileBytes);
    }
}

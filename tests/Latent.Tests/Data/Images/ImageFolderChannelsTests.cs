// ImageFolder.Load for a user's own folders: gray folders load as one channel, a colour file makes three (gray
// replicated, alpha over black), --image-size style resizing of mixed sizes, and folders of formats not read, mixed
// with read ones, and folders of folders are refused saying what was found.
using Latent.Data.Images;
using Latent.Data.Png;

namespace Latent.Tests.Data.Images;

public sealed class ImageFolderChannelsTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void ColourMakesThreeChannelsAndGrayIsReplicated()
    {
        PngEncoder.Save(_dir.File("a.png"), new PngImage(2, 1, PixelFormat.Gray8, [0, 255]));
        PngEncoder.Save(_dir.File("b.png"), new PngImage(2, 1, PixelFormat.Rgba8, [255, 0, 0, 255, 0, 255, 0, 0]));
        Assert.Equal(3, ImageFolder.Channels(_dir.Path));
        var set = ImageFolder.Load(_dir.Path, new ImageFolderOptions());
        Assert.Equal((2, 3, 1, 2), (set.Count, set.Channels, set.Height, set.Width));
        Assert.Equal([0f, 1f, 0f, 1f, 0f, 1f, /* b: R plane */ 1f, 0f, /* G */ 0f, 0f, /* B */ 0f, 0f], set.Pixels);
        var gray = ImageFolder.Load(_dir.Path, new ImageFolderOptions { Channels = 1 });
        Assert.Equal(1, gray.Channels);
        Assert.Equal(76 / 255f, gray.Pixels[2]);   // red's luma, as PIL's convert("L")
    }

    [Fact]
    public void ColourAndAlphaConvertToEightBitLevels()
    {
        // luma (PIL's integers: red 76, green 150, blue 29) and alpha over black both land on k / 255
        PngEncoder.Save(_dir.File("c.png"), new PngImage(4, 1, PixelFormat.Rgba8, [255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255, 200, 100, 50, 128]));
        var gray = ImageFolder.Load(_dir.Path, new ImageFolderOptions { Channels = 1 });
        int[] levels = [76, 150, 29, (((19595 * 200) + (38470 * 100) + (7471 * 50) + 0x8000 >> 16) * 128 + 127) / 255];
        Assert.Equal(levels.Select(k => k / 255f), gray.Pixels);
        var rgb = ImageFolder.Load(_dir.Path, new ImageFolderOptions { Channels = 3 });
        Assert.All(rgb.Pixels, v => Assert.Equal(MathF.Round(v * 255) / 255f, v));
        Assert.Equal((100 * 128 + 127) / 255 / 255f, rgb.Pixels[4 + 3]);   // G plane of the half-transparent pixel
    }

    [Fact]
    public void MixedSizesAreResizedWhenAsked()
    {
        PngEncoder.Save(_dir.File("a.png"), PngImage.FromGrayFloats(Enumerable.Repeat(0.5f, 4 * 4).ToArray(), 4, 4));
        PngEncoder.Save(_dir.File("b.png"), PngImage.FromGrayFloats(Enumerable.Repeat(1f, 6 * 2).ToArray(), 6, 2));
        var e = Assert.Throws<ImageSizeException>(() => ImageFolder.Load(_dir.Path, new ImageFolderOptions()));
        Assert.Equal(_dir.File("a.png"), e.First);
        var set = ImageFolder.Load(_dir.Path, new ImageFolderOptions { Size = (2, 2), Resize = true });
        Assert.Equal((2, 1, 2, 2), (set.Count, set.Channels, set.Height, set.Width));
        Assert.All(set.Pixels.Take(4), v => Assert.Equal(128 / 255f, v, 5));
        Assert.All(set.Pixels.Skip(4), v => Assert.Equal(1f, v, 5));
        Assert.Throws<ArgumentException>(() => ImageFolder.Load(_dir.Path, new ImageFolderOptions { Resize = true }));
    }

    [Fact]
    public void UnreadFormatsAndFoldersOfFoldersAreRefusedSayingWhatWasFound()
    {
        File.WriteAllBytes(_dir.File("x.PPM"), [1]);
        File.WriteAllBytes(_dir.File("y.heic"), [1]);
        var e = Assert.Throws<InvalidDataException>(() => ImageFolder.Load(_dir.Path, new ImageFolderOptions()));
        Assert.Equal($"Image folder '{_dir.Path}' holds 1 .heic, 1 .ppm files but no images Latent reads (PNG, JPEG, BMP, GIF, TIFF and WebP): convert them first, e.g. with ImageMagick: mogrify -format png *.heic", e.Message);
        PngEncoder.Save(_dir.File("a.png"), PngImage.FromGrayFloats(new float[4], 2, 2));
        e = Assert.Throws<InvalidDataException>(() => ImageFolder.Load(_dir.Path, new ImageFolderOptions()));
        Assert.Contains("holds 1 images and also 1 .heic, 1 .ppm files, which are not read (only PNG, JPEG, BMP, GIF, TIFF and WebP)", e.Message, StringComparison.Ordinal);

        using var parent = new TempDir();
        Directory.CreateDirectory(Path.Combine(parent.Path, "good"));
        Directory.CreateDirectory(Path.Combine(parent.Path, "bad"));
        e = Assert.Throws<InvalidDataException>(() => ImageFolder.Load(parent.Path, new ImageFolderOptions()));
        Assert.Contains("holds no images, only folders (bad, good); give the folder that holds the images", e.Message, StringComparison.Ordinal);
        Assert.Contains($"or the folder of class folders as folder:{parent.Path}.", e.Message, StringComparison.Ordinal);
    }
}

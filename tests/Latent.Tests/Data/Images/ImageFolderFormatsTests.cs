// ImageFolder on a user's folder of mixed formats (issue 18 item 4): PNG, JPEG, BMP, GIF, TIFF and WebP load into one
// batch in name order; with SkipUnreadable a corrupt or truncated file among them is skipped and listed with its
// reason while the rest load; without it the first such file stops the load naming it; a folder of nothing but
// unreadable files says so; a huge declared size among small images is refused from its header.
using Latent.Data.Images;

namespace Latent.Tests.Data.Images;

public sealed class ImageFolderFormatsTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void EveryFormatLoadsIntoOneBatchInNameOrder()
    {
        for (int i = 0; i < ImageSamples.Extensions.Length; i++)
            File.WriteAllBytes(_dir.File($"{i}{ImageSamples.Extensions[i]}"), ImageSamples.Gray(ImageSamples.Extensions[i]));
        File.WriteAllText(_dir.File("notes.txt"), "not an image");
        var set = ImageFolder.Load(_dir.Path, new ImageFolderOptions { Channels = 1 });
        Assert.Equal((6, 1, 9, 12), (set.Count, set.Channels, set.Height, set.Width));
        Assert.Equal(["0.png", "1.jpg", "2.bmp", "3.gif", "4.tif", "5.webp"], set.Names);
        byte[] want = ImageSamples.GrayLevels(12, 9);
        for (int k = 0; k < 6; k++)
            for (int i = 0; i < want.Length; i++)
                Assert.True(Math.Abs(set.Pixels[k * 108 + i] * 255 - want[i]) <= (k == 1 ? 6.01 : 0.01), $"{set.Names[k]} pixel {i}");
        Assert.Empty(set.Skipped);
    }

    [Fact]
    public void CorruptAndTruncatedFilesAreSkippedAndNamedOrStopTheLoad()
    {
        for (int i = 0; i < 20; i++) File.WriteAllBytes(_dir.File($"{i:00}.jpg"), ImageSamples.Gray(".jpg"));
        byte[] good = ImageSamples.Gray(".png");
        File.WriteAllBytes(_dir.File("07.jpg"), [0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, 1, 2]);            // a JPEG cut inside its first segment
        File.WriteAllBytes(_dir.File("13.png"), good[..(good.Length / 2)]);                           // half a PNG
        File.WriteAllBytes(_dir.File("15.gif"), "GIF89a but nothing else"u8.ToArray());

        var set = ImageFolder.Load(_dir.Path, new ImageFolderOptions { SkipUnreadable = true });
        Assert.Equal(19, set.Count);
        Assert.Equal([_dir.File("07.jpg"), _dir.File("13.png"), _dir.File("15.gif")], set.Skipped.Select(s => s.Path));
        Assert.All(set.Skipped, s => Assert.StartsWith(s.Path + ": ", s.Reason, StringComparison.Ordinal));
        Assert.DoesNotContain(_dir.File("07.jpg"), set.Files);
        Assert.Equal(19 * 108, set.Pixels.Length);

        var e = Assert.Throws<InvalidDataException>(() => ImageFolder.Load(_dir.Path, new ImageFolderOptions()));
        Assert.StartsWith(_dir.File("07.jpg") + ": ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AFolderOfOnlyUnreadableFilesSaysSo()
    {
        File.WriteAllBytes(_dir.File("a.jpg"), [1, 2, 3]);
        File.WriteAllBytes(_dir.File("b.webp"), [1, 2, 3]);
        var e = Assert.Throws<InvalidDataException>(() => ImageFolder.Load(_dir.Path, new ImageFolderOptions { SkipUnreadable = true }));
        Assert.StartsWith($"Image folder '{_dir.Path}': none of its 2 images could be read; the first: {_dir.File("a.jpg")}: ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnreadFormatsAreNamedAndAFolderOfFoldersPointsToFolderPrefix()
    {
        File.WriteAllBytes(_dir.File("x.PGM"), [1]);
        var e = Assert.Throws<InvalidDataException>(() => ImageFolder.Load(_dir.Path, new ImageFolderOptions()));
        Assert.Equal($"Image folder '{_dir.Path}' holds 1 .pgm files but no images Latent reads (PNG, JPEG, BMP, GIF, TIFF and WebP): convert them first, e.g. with ImageMagick: mogrify -format png *.pgm", e.Message);
        File.WriteAllBytes(_dir.File("a.jpg"), ImageSamples.Gray(".jpg"));
        e = Assert.Throws<InvalidDataException>(() => ImageFolder.Load(_dir.Path, new ImageFolderOptions()));
        Assert.Contains("holds 1 images and also 1 .pgm files, which are not read", e.Message, StringComparison.Ordinal);
    }
}

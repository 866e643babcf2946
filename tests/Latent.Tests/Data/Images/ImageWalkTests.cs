// ImageWalk, the folder walk of `latent score`: depth first, each folder's entries in ordinal order (the same on every
// run, which --shard needs), links to folders not followed (a loop ends), unread formats and empty trees refused with
// what they hold; ImageFile reads one image at the asked size or refuses it from its header.
using Latent.Data.Images;
using Latent.Data.Png;

namespace Latent.Tests.Data.Images;

public sealed class ImageWalkTests
{
    private static void Png(string path, int size = 4)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        PngEncoder.Save(path, PngImage.FromGrayFloats(new float[size * size], size, size));
    }

    [Fact]
    public void WalksDepthFirstInOrdinalOrderWithoutFollowingLinkedFolders()
    {
        using var dir = new TempDir();
        foreach (string f in new[] { "z.png", "B.PNG", "a/2.png", "a/10.png", "a/b/x.png", "ab.png", "notes.txt" })
            if (f.EndsWith(".txt", StringComparison.Ordinal)) File.WriteAllText(dir.File(f), "");
            else Png(dir.File(f));
        Directory.CreateSymbolicLink(dir.File("link"), dir.File("a"));
        Directory.CreateSymbolicLink(Path.Combine(dir.Path, "a", "loop"), dir.Path);
        var tree = ImageWalk.Open(dir.Path);
        Assert.Equal(6, tree.Count);
        Assert.Equal(2, tree.LinkedFolders);
        Assert.Equal(["B.PNG", "a/10.png", "a/2.png", "a/b/x.png", "ab.png", "z.png"], tree.Files().Select(tree.Relative));
        Assert.Equal(tree.Files(), tree.Files());
    }

    [Fact]
    public void EmptyTreesAndUnreadFormatsAreRefusedSayingWhatTheyHold()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.File("sub"));
        var e = Assert.Throws<InvalidDataException>(() => ImageWalk.Open(dir.Path));
        Assert.Equal($"Image folder '{dir.Path}' holds no images ({ImageFormats.Names}), in it or in its 1 subfolders.", e.Message);
        File.WriteAllBytes(dir.File("sub/a.pgm"), [0x50, 0x35]);
        e = Assert.Throws<InvalidDataException>(() => ImageWalk.Open(dir.Path));
        Assert.StartsWith($"Image folder '{dir.Path}' holds 1 .pgm files but no images Latent reads ({ImageFormats.Names})", e.Message, StringComparison.Ordinal);
        Png(dir.File("b.png"));
        e = Assert.Throws<InvalidDataException>(() => ImageWalk.Open(dir.Path));
        Assert.StartsWith($"Image folder '{dir.Path}' holds 1 images and also 1 .pgm files, which are not read", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ImageFileReadsAtTheAskedSizeOrRefusesFromTheHeader()
    {
        using var dir = new TempDir();
        string path = dir.File("a.png");
        PngEncoder.Save(path, PngImage.FromGrayFloats([.. Enumerable.Range(0, 16).Select(i => i / 15f)], 4, 4));
        var x = new float[4];
        ImageFile.Read(path, 1, 2, 2, resize: true, x);
        // area means of 8-bit levels, rounded back to 8-bit levels (ImageResize keeps an 8-bit image 8-bit)
        static float Level(float v) => MathF.Round(v * 255f, MidpointRounding.AwayFromZero) / 255f;
        Assert.Equal([Level((0 + 1 + 4 + 5) / 60f), Level((2 + 3 + 6 + 7) / 60f), Level((8 + 9 + 12 + 13) / 60f), Level((10 + 11 + 14 + 15) / 60f)], x, (a, b) => Math.Abs(a - b) < 1e-6);
        var e = Assert.Throws<ImageSizeException>(() => ImageFile.Read(path, 1, 2, 2, resize: false, x));
        Assert.Equal((4, 4, 2, 2), (e.Width, e.Height, e.ExpectedWidth, e.ExpectedHeight));
        var rgb = new float[3 * 16];
        ImageFile.Read(path, 3, 4, 4, resize: false, rgb);
        Assert.Equal(rgb.AsSpan(0, 16).ToArray(), rgb.AsSpan(32, 16).ToArray());
    }
}

// PngFolder: a folder of PNGs (ours and Pillow's) loads as one (N, H, W) batch in name order; mixed sizes,
// empty and missing folders, and corrupt files are clear errors naming the file or folder.
using Latent.Reporting.Png;

namespace Latent.Tests.Reporting;

public sealed class PngFolderTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"latent-pngfolder-{Guid.NewGuid():N}");

    public PngFolderTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "Reporting", "png", name);

    [Fact]
    public void LoadsImagesInNameOrderAsGrayFloats()
    {
        File.Copy(Fixture("gray8_mnist_pil.png"), Path.Combine(_dir, "b.png"));
        var rgb = new byte[28 * 28 * 3];
        for (int i = 0; i < 28 * 28; i++) rgb[3 * i] = rgb[3 * i + 1] = rgb[3 * i + 2] = (byte)(i % 256);
        File.WriteAllBytes(Path.Combine(_dir, "a.png"), PngEncoder.Encode(rgb, 28, 28, PixelFormat.Rgb8));
        File.WriteAllText(Path.Combine(_dir, "readme.txt"), "not an image");

        PngFolderImages set = PngFolder.LoadGray(_dir);
        Assert.Equal((2, 28, 28), (set.Count, set.Height, set.Width));
        Assert.Equal(["a.png", "b.png"], set.Files.Select(Path.GetFileName));
        Assert.Equal(100 / 255f, set.Pixels[100], 1e-5f); // gray RGB keeps its level
        byte[] mnist = File.ReadAllBytes(Fixture("gray8_mnist_pil.raw"));
        for (int i = 0; i < 784; i++) Assert.Equal(mnist[i] / 255f, set.Pixels[784 + i], 1e-6f);
    }

    [Fact]
    public void MixedSizesNameTheOddFile()
    {
        File.WriteAllBytes(Path.Combine(_dir, "a.png"), PngEncoder.Encode(new byte[4], 2, 2, PixelFormat.Gray8));
        File.WriteAllBytes(Path.Combine(_dir, "b.png"), PngEncoder.Encode(new byte[6], 3, 2, PixelFormat.Gray8));
        var e = Assert.Throws<InvalidDataException>(() => PngFolder.LoadGray(_dir));
        Assert.Contains("b.png is 3 x 2 pixels but a.png is 2 x 2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EmptyMissingAndCorruptFoldersAreClearErrors()
    {
        Assert.Contains("holds no .png files", Assert.Throws<InvalidDataException>(() => PngFolder.LoadGray(_dir)).Message, StringComparison.Ordinal);
        Assert.Throws<DirectoryNotFoundException>(() => PngFolder.LoadGray(Path.Combine(_dir, "nope")));
        File.WriteAllBytes(Path.Combine(_dir, "x.png"), "not a png at all"u8.ToArray());
        var e = Assert.Throws<InvalidDataException>(() => PngFolder.LoadGray(_dir));
        Assert.Contains("x.png", e.Message, StringComparison.Ordinal);
        Assert.Contains("Not a PNG file", e.Message, StringComparison.Ordinal);
    }
}

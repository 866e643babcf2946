// `latent sample` draws a PNG grid from any model that can generate (an autoencoder, a GAN), the same grid for the
// same seed; a model that cannot generate, a count of 0 or a huge one, an --out that is a folder, and a GAN resumed
// from another family's checkpoint are one-line errors.
using Latent.Data.Png;

namespace Latent.Tests.Cli;

public class SampleCommandTests
{
    private static readonly string[] TinyGan =
        ["--g-channels", "8,4", "--d-channels", "4,8", "--search-steps", "2", "--statistics-samples", "8"];

    private static string Train(TempDir dir, string model, params string[] extra)
    {
        string path = dir.File(model + ".safetensors");
        var r = CliRunner.Run(["train", "--model", model, "--dataset", TestData.SubsetDir, "--class", "3", "--latent", "4",
            "--epochs", "1", "--batch-size", "16", "--out", path, .. extra]);
        Assert.True(r.ExitCode == 0, r.Err);
        return path;
    }

    [Theory]
    [InlineData("vae")]
    [InlineData("gan")]
    public void AModelThatGeneratesWritesTheSameGridForTheSameSeed(string model)
    {
        using var dir = new TempDir();
        string path = model == "gan" ? Train(dir, model, TinyGan) : Train(dir, model, "--arch", "dense");
        string a = dir.File("a.png"), b = dir.File("b.png"), c = dir.File("c.png");
        var r = CliRunner.Run("sample", "--model-file", path, "--count", "12", "--out", a, "--seed", "3");
        Assert.True(r.ExitCode == 0, r.Err);
        Assert.Contains($"wrote 12 samples of {model}", r.Out, StringComparison.Ordinal);
        Assert.Equal(0, CliRunner.Run("sample", "--model-file", path, "--count", "12", "--out", b, "--seed", "3").ExitCode);
        Assert.Equal(0, CliRunner.Run("sample", "--model-file", path, "--count", "12", "--out", c, "--seed", "4").ExitCode);
        Assert.Equal(File.ReadAllBytes(a), File.ReadAllBytes(b));
        Assert.NotEqual(File.ReadAllBytes(a), File.ReadAllBytes(c));
        var image = PngDecoder.Decode(File.ReadAllBytes(a));
        Assert.InRange(image.Width, 8 * 28 * 2, 8 * 28 * 2 + 64);                       // 8 columns of 28 px at scale 2 (and borders)
        Assert.True(image.Height > image.Width / 4 && image.Height < image.Width, $"{image.Width} x {image.Height}: not 2 rows of 8");
    }

    [Fact]
    public void BadRequestsAreOneLineErrors()
    {
        using var dir = new TempDir();
        string vae = Train(dir, "vae", "--arch", "dense");
        string pca = dir.File("pca.safetensors");
        Assert.Equal(0, CliRunner.Run("train", "--model", "pca", "--dataset", TestData.SubsetDir, "--latent", "4", "--out", pca).ExitCode);

        var r = CliRunner.Run("sample", "--model-file", pca, "--out", dir.File("g.png"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("holds a 'pca' model, which cannot generate", r.Err, StringComparison.Ordinal);

        foreach (string count in new[] { "0", "100000", "-1" })
        {
            r = CliRunner.Run("sample", "--model-file", vae, "--count", count, "--out", dir.File("g.png"));
            Assert.Equal(2, r.ExitCode);
            Assert.Equal($"latent: error: --count {count}: generate 1 to 1024 images (e.g. 64).", r.Err.Trim());
        }

        Directory.CreateDirectory(dir.File("folder.png"));
        r = CliRunner.Run("sample", "--model-file", vae, "--out", dir.File("folder.png"));
        Assert.NotEqual(0, r.ExitCode);
        Assert.Single(r.Err.Trim().Split('\n'));
        Assert.Contains("folder.png", r.Err, StringComparison.Ordinal);
        Assert.True(Directory.Exists(dir.File("folder.png")));

        r = CliRunner.Run(["train", "--model", "gan", "--dataset", TestData.SubsetDir, "--latent", "4", "--epochs", "2", "--out", vae, "--resume", .. TinyGan]);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("holds a 'vae' model, not 'gan'", r.Err, StringComparison.Ordinal);
    }
}

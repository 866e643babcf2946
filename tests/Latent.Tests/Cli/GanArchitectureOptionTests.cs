// --arch on the GANs (shared with the autoencoders): dense builds Keras-GAN's layout with its default widths (G 512,512;
// D 512,256; BiGAN's E 512,512) unless --g-channels / --d-channels say otherwise, the model file keeps it, and a bad
// value, or --arch for a model with no such choice, is a usage error (exit 2, one line).
using Latent.Models;
using Latent.Models.Gans;

namespace Latent.Tests.Cli;

public class GanArchitectureOptionTests
{
    [Theory]
    [InlineData("gan", new[] { 512, 512 }, new[] { 512, 256 })]
    [InlineData("bigan", new[] { 512, 512 }, new[] { 512, 512 })]
    public void DenseBuildsKerasGansWidthsAndTheModelFileKeepsThem(string model, int[] g, int[] d)
    {
        using var dir = new TempDir();
        string path = dir.File("m.safetensors");
        string[] small = model == "bigan" ? ["--joint-width", "32"] : ["--search-steps", "3"];       // a quick test, the widths at their defaults
        var t = CliRunner.Run(["train", "--model", model, "--dataset", TestData.SubsetDir, "--class", "3", "--latent", "2", "--epochs", "1",
            "--arch", "dense", .. small, "--out", path]);
        Assert.True(t.ExitCode == 0, t.Err);
        var o = (GanOptions)ModelFile.LoadTrained(path).Model.Options;
        Assert.Equal(GanNetwork.Dense, o.Network);
        Assert.Equal(g, o.GeneratorChannels);
        Assert.Equal(d, o.DiscriminatorChannels);
        var s = CliRunner.Run("score", "--model-file", path, "--input", TestData.SubsetDir + ":5", "--json", "--score", model == "gan" ? "discriminator" : "latent-nll");
        Assert.True(s.ExitCode == 0, s.Err);
    }

    [Fact]
    public void GivenWidthsOverrideTheDenseDefaults()
    {
        using var dir = new TempDir();
        string path = dir.File("m.safetensors");
        var t = CliRunner.Run("train", "--model", "infogan", "--dataset", TestData.SubsetDir, "--class", "3", "--latent", "2", "--epochs", "1",
            "--arch", "dense", "--g-channels", "16,8", "--d-channels", "8,4", "--search-steps", "2", "--out", path);
        Assert.True(t.ExitCode == 0, t.Err);
        var o = (GanOptions)ModelFile.LoadTrained(path).Model.Options;
        Assert.Equal(GanNetwork.Dense, o.Network);
        Assert.Equal([16, 8], o.GeneratorChannels);
        Assert.Equal([8, 4], o.DiscriminatorChannels);
    }

    [Theory]
    [InlineData("gan", "mlp", "--arch: unknown architecture 'mlp'")]
    [InlineData("knn", "dense", "--arch applies to")]
    public void BadArchitecturesAreUsageErrors(string model, string value, string message)
    {
        using var dir = new TempDir();
        var r = CliRunner.Run("train", "--model", model, "--dataset", TestData.SubsetDir, "--class", "3", "--arch", value, "--out", dir.File("m.safetensors"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(message, r.Err, StringComparison.Ordinal);
    }
}

// The options against the BiGAN's saturating discriminator on the command line: --d-dropout and --prior-weight (bigan
// only), --d-lr (every GAN kind) and the search's --search-prior-weight (gan, infogan) are usage errors (exit 2, one
// line) for another model or with a bad value, and a bigan trained with the first three stores them and scores.
namespace Latent.Tests.Cli;

public class GanDiscriminatorOptionTests
{
    [Theory]
    [InlineData("gan", "--d-dropout", "0.2", "--d-dropout applies to bigan, not to 'gan'; drop it.")]
    [InlineData("bigan", "--d-dropout", "1", "--d-dropout 1: the dropout probability must be in [0, 1) (e.g. 0.2).")]
    [InlineData("bigan", "--d-lr", "0", "--d-lr 0: the learning rate must be a positive number (e.g. 1e-4).")]
    [InlineData("vae", "--d-lr", "1e-4", "--d-lr applies to")]
    [InlineData("gan", "--prior-weight", "1", "--prior-weight applies to bigan, not to 'gan'; drop it.")]
    [InlineData("bigan", "--prior-weight", "-1", "--prior-weight -1: the weight must be a finite number >= 0 (e.g. 1).")]
    [InlineData("gan", "--search-prior-weight", "-0.5", "--search-prior-weight -0.5: the weight must be a finite number >= 0 (e.g. 1).")]
    [InlineData("bigan", "--search-prior-weight", "0.1", "--search-prior-weight applies to gan and infogan")]
    public void BadDiscriminatorOptionsAreUsageErrors(string model, string option, string value, string message)
    {
        using var dir = new TempDir();
        var r = CliRunner.Run("train", "--model", model, "--dataset", TestData.SubsetDir, "--class", "3", "--latent", "2", "--epochs", "1",
            option, value, "--out", dir.File("m.safetensors"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(message, r.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void ABiganWithDropoutAndItsOwnDiscriminatorRateTrainsAndScores()
    {
        using var dir = new TempDir();
        string path = dir.File("m.safetensors");
        var t = CliRunner.Run("train", "--model", "bigan", "--dataset", TestData.SubsetDir, "--class", "3", "--latent", "2", "--epochs", "1",
            "--g-channels", "8,4", "--d-channels", "4,8", "--joint-width", "16", "--d-dropout", "0.2", "--d-lr", "1e-4", "--prior-weight", "2", "--out", path);
        Assert.True(t.ExitCode == 0, t.Err);
        var o = (Latent.Models.Gans.GanOptions)Latent.Models.ModelFile.LoadTrained(path).Model.Options;
        Assert.Equal((0.2f, 1e-4f, 2f), (o.DiscriminatorDropout, o.DiscriminatorLearningRate, o.PriorWeight));
        var s = CliRunner.Run("score", "--model-file", path, "--input", TestData.SubsetDir + ":5", "--json", "--score", "latent-nll");
        Assert.True(s.ExitCode == 0, s.Err);
    }
}

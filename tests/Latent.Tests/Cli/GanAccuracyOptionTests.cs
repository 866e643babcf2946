// The options of the GAN accuracy work on the command line: f-AnoGAN's encoder for gan (--encoder-epochs,
// --encoder-feature-weight) and ALICE's cycle terms for bigan (--cycle-weight, --latent-cycle-weight): each is a usage
// error (exit 2, one line) for another kind or with a bad value, and a gan trained with an encoder scores recon.
namespace Latent.Tests.Cli;

public class GanAccuracyOptionTests
{
    [Theory]
    [InlineData("bigan", "--encoder-epochs", "1", "--encoder-epochs applies to gan, not to 'bigan'; drop it.")]
    [InlineData("infogan", "--encoder-feature-weight", "1", "--encoder-feature-weight applies to gan, not to 'infogan'; drop it.")]
    [InlineData("gan", "--cycle-weight", "1", "--cycle-weight applies to bigan, not to 'gan'; drop it.")]
    [InlineData("bigan", "--latent-cycle-weight", "-1", "--latent-cycle-weight -1: the weight must be a finite number >= 0 (e.g. 1).")]
    [InlineData("gan", "--encoder-epochs", "-2", "--encoder-epochs -2: the encoder's epochs (0: no encoder) must be 0 to 1000000.")]
    [InlineData("gan", "--encoder-epochs", "3", "encoder epochs 3 leave no GAN epochs of the run's 3: give fewer encoder epochs or more --epochs.")]
    public void BadGanAccuracyOptionsAreUsageErrors(string model, string option, string value, string message)
    {
        using var dir = new TempDir();
        var r = CliRunner.Run("train", "--model", model, "--dataset", TestData.SubsetDir, "--class", "3", "--latent", "2", "--epochs", "3",
            option, value, "--out", dir.File("m.safetensors"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(message, r.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void AGanWithAnEncoderTrainsAndScoresRecon()
    {
        using var dir = new TempDir();
        string path = dir.File("m.safetensors");
        var t = CliRunner.Run("train", "--model", "gan", "--dataset", TestData.SubsetDir, "--class", "3", "--latent", "2", "--epochs", "2",
            "--g-channels", "8,4", "--d-channels", "4,8", "--encoder-epochs", "1", "--search-steps", "3", "--search-restarts", "1", "--out", path);
        Assert.True(t.ExitCode == 0, t.Err);
        Assert.Contains("loss_e", t.Out + t.Err, StringComparison.Ordinal);
        var s = CliRunner.Run("score", "--model-file", path, "--input", TestData.SubsetDir + ":5", "--json", "--score", "recon");
        Assert.True(s.ExitCode == 0, s.Err);
    }
}

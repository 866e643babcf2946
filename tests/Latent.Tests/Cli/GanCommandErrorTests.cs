// The GAN family's bad requests on the command line (issue 13), each a one-line error with exit code 2: a gan whose
// latent search is off (so it has no encoder) asked for a score that needs one names the scores it has (and its
// training run and report leave out the reconstruction grids instead of failing at the end); `latent
// sample` of a GAN with a count of 0, a negative one or a huge one; and a GAN checkpoint resumed as another kind of the
// family or as a model of another family, and another family's checkpoint resumed as a GAN.
namespace Latent.Tests.Cli;

public class GanCommandErrorTests
{
    private static readonly string[] TinyGan =
        ["--g-channels", "8,4", "--d-channels", "4,8", "--search-steps", "2", "--statistics-samples", "8"];

    private static string TrainGan(TempDir dir, params string[] extra)
    {
        string path = dir.File("gan.safetensors");
        var r = CliRunner.Run(["train", "--model", "gan", "--dataset", TestData.SubsetDir, "--class", "3", "--latent", "4",
            "--epochs", "1", "--batch-size", "16", "--out", path, .. TinyGan, .. extra]);
        Assert.True(r.ExitCode == 0, r.Err);
        return path;
    }

    private static void OneLineUsageError(CliResult r, string expected)
    {
        Assert.Equal(2, r.ExitCode);
        Assert.Single(r.Err.Trim().Split('\n'));
        Assert.Contains(expected, r.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void AGanWithoutAnEncoderAskedForAnEncoderScoreNamesTheScoresItHas()
    {
        using var dir = new TempDir();
        string path = TrainGan(dir, "--search-restarts", "0");
        var r = CliRunner.Run("score", "--model-file", path, "--input", TestData.SubsetDir + ":5", "--score", "recon");
        OneLineUsageError(r, "model 'gan' has no score 'recon'; its scores are discriminator");
        r = CliRunner.Run("score", "--model-file", path, "--input", TestData.SubsetDir + ":5", "--score", "latent-nll,discriminator");
        OneLineUsageError(r, "has no score 'latent-nll'");
        var ok = CliRunner.Run("score", "--model-file", path, "--input", TestData.SubsetDir + ":5", "--score", "discriminator", "--json");
        Assert.True(ok.ExitCode == 0, ok.Err);
        Assert.Contains("discriminator", ok.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void AReportOfAGanWithoutAnEncoderLeavesOutTheReconstructions()
    {
        using var dir = new TempDir();
        string report = Path.Combine(dir.Path, "report");
        var r = CliRunner.Run(["classmodel", "--model", "gan", "--dataset", TestData.SubsetDir, "--real", "3", "--fake", "5",
            "--latent", "4", "--epochs", "1", "--batch-size", "16", "--search-restarts", "0", "--report", report, .. TinyGan]);
        Assert.True(r.ExitCode == 0, r.Err);
        string html = File.ReadAllText(Path.Combine(report, "index.html"));
        Assert.Contains("discriminator", html, StringComparison.Ordinal);
    }

    [Fact]
    public void SampleCountsOutOfRangeAndCheckpointsOfAnotherKindAreRefused()
    {
        using var dir = new TempDir();
        string gan = TrainGan(dir);
        foreach (string count in new[] { "0", "-3", "1025", "100000000" })
            OneLineUsageError(CliRunner.Run("sample", "--model-file", gan, "--count", count, "--out", dir.File("g.png")),
                $"--count {count}: generate 1 to 1024 images");
        Assert.False(File.Exists(dir.File("g.png")));

        foreach (string other in new[] { "bigan", "infogan", "vae" })
        {
            var r = CliRunner.Run(["train", "--model", other, "--dataset", TestData.SubsetDir, "--latent", "4", "--epochs", "2",
                "--out", gan, "--resume"]);
            OneLineUsageError(r, $"holds a 'gan' model, not '{other}'");
        }

        string pca = dir.File("pca.safetensors");
        Assert.Equal(0, CliRunner.Run("train", "--model", "pca", "--dataset", TestData.SubsetDir, "--latent", "4", "--out", pca).ExitCode);
        var fromPca = CliRunner.Run(["train", "--model", "gan", "--dataset", TestData.SubsetDir, "--latent", "4", "--epochs", "2",
            "--out", pca, "--resume", .. TinyGan]);
        Assert.NotEqual(0, fromPca.ExitCode);
        Assert.Single(fromPca.Err.Trim().Split('\n'));
        Assert.Contains("pca", fromPca.Err, StringComparison.Ordinal);
    }
}

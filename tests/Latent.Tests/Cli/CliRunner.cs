// Runs the `latent` command in-process and captures what it printed.
using System.Globalization;
using Latent.Cli;

namespace Latent.Tests.Cli;

public sealed record CliResult(int ExitCode, string Out, string Err);

public static class CliRunner
{
    public static CliResult Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = LatentCommand.Run(args, stdout, stderr);
        return new CliResult(code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Trains a <paramref name="model"/> of latent size <paramref name="latent"/> on the committed subset's 3s
    /// into <paramref name="path"/> (<paramref name="options"/> added, e.g. --calibration) and checks that it succeeded.</summary>
    public static void TrainOnThrees(string model, string path, int latent, params string[] options)
    {
        var t = Run(["train", "--model", model, "--latent", latent.ToString(CultureInfo.InvariantCulture), "--dataset", TestData.SubsetDir, "--class", "3", "--out", path, .. options]);
        Assert.True(t.ExitCode == 0, t.Err);
    }

    /// <summary>The small dense VAE the scoring tests score with: latent 2, one epoch at batch 16.</summary>
    public static void TrainTinyVaeOnThrees(string path, params string[] options) =>
        TrainOnThrees("vae", path, 2, ["--arch", "dense", "--epochs", "1", "--batch-size", "16", .. options]);

    /// <summary>Checks that <paramref name="r"/> failed with exit <paramref name="code"/>, printed nothing on stdout and
    /// one line on stderr holding <paramref name="message"/>.</summary>
    public static void AssertOneLineError(CliResult r, int code, string message)
    {
        Assert.Equal(code, r.ExitCode);
        Assert.Equal("", r.Out);
        Assert.Single(r.Err.Trim().Split('\n'));
        Assert.Contains(message, r.Err, StringComparison.Ordinal);
    }
}

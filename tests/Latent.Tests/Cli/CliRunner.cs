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

    /// <summary>Trains a PCA of <paramref name="latent"/> components on the committed subset's 3s into
    /// <paramref name="path"/> (<paramref name="options"/> added, e.g. --calibration) and checks that it succeeded.</summary>
    public static void TrainPcaOnThrees(string path, int latent, params string[] options)
    {
        var t = Run(["train", "--model", "pca", "--latent", latent.ToString(CultureInfo.InvariantCulture), "--dataset", TestData.SubsetDir, "--class", "3", "--out", path, .. options]);
        Assert.True(t.ExitCode == 0, t.Err);
    }
}

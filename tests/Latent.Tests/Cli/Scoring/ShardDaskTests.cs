// --shard I/N driven by a real cluster engine (issue 18, item 2): scripts/shard_dask.py starts a Dask distributed
// LocalCluster of worker processes, submits one task per shard (each runs the built `latent score --shard i/N`), and
// concatenates the shard files in shard order; the result must equal, byte for byte, the single run's CSV.
// Skipped, saying why, where Debian's python3-distributed is not installed (scripts/test.sh installs it).
using System.Diagnostics;
using Latent.Tests.Reliability;

namespace Latent.Tests.Cli.Scoring;

/// <summary>A fact that is skipped, with the reason, when /usr/bin/python3 cannot import distributed.</summary>
public sealed class DaskFactAttribute : FactAttribute
{
    public DaskFactAttribute()
    {
        if (!DaskAvailable.Value)
            Skip = "python3-distributed is not installed (/usr/bin/python3 -c 'import distributed' fails); install it with apt-get install -y python3-distributed (scripts/test.sh does).";
    }

    private static readonly Lazy<bool> DaskAvailable = new(() =>
    {
        if (!File.Exists("/usr/bin/python3")) return false;
        try
        {
            using var p = Process.Start(new ProcessStartInfo("/usr/bin/python3", ["-c", "import distributed"]) { RedirectStandardError = true, RedirectStandardOutput = true })!;
            p.StandardError.ReadToEnd();
            p.WaitForExit();
            return p.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception) { return false; }
    });
}

public sealed class ShardDaskTests
{
    /// <summary>scripts/shard_dask.py of the repository the tests were built from.</summary>
    private static string Script() => Path.Combine(TestData.RepositoryRoot, "scripts", "shard_dask.py");

    [DaskFact]
    public void ShardsRunAsDaskTasksConcatenateToTheSingleRun()
    {
        using var dir = new TempDir();
        string model = dir.File("m.safetensors");
        CliRunner.TrainOnThrees("pca", model, 4, "--calibration", "0.5");
        string input = Path.Combine(TestData.SubsetDir, "t10k-images-idx3-ubyte");
        string[] score = ["--model-file", model, "--input", input, "--batch-size", "16", "--alpha", "0.2"];
        var single = LatentProcess.Run(["score", .. score, "--output", dir.File("single.csv")], TimeSpan.FromMinutes(2));
        Assert.True(single.ExitCode == 0, single.ToString());

        var psi = new ProcessStartInfo("/usr/bin/python3", [Script(), "--latent", LatentProcess.Executable, "--shards", "5", "--workers", "2",
            "--out", dir.File("dask.csv"), "--", .. score]) { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.Environment["LATENT_DATA_DIR"] = Path.Combine(Path.GetTempPath(), "latent-test-no-cache");
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        string log = p.StandardOutput.ReadToEnd();
        Assert.True(p.WaitForExit(TimeSpan.FromMinutes(5)), "the Dask run did not finish in 5 minutes");
        Assert.True(p.ExitCode == 0, $"shard_dask.py exit {p.ExitCode}: {log}\n{err.Result}");
        Assert.Contains("5 shards on 2 worker processes", log, StringComparison.Ordinal);
        Assert.Equal(File.ReadAllBytes(dir.File("single.csv")), File.ReadAllBytes(dir.File("dask.csv")));
        Assert.Equal(201, File.ReadAllLines(dir.File("dask.csv")).Length);
    }
}

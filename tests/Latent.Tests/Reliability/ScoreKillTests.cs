// `latent score --output` killed with SIGKILL while it streams rows (issue 18): the output keeps its old content (the
// rows went to "<output>.tmp-<pid>", AtomicFile), and the next run replaces it whole and removes the dead run's
// temporary.
using Latent.Data;

namespace Latent.Tests.Reliability;

[Collection(ReliabilityCollection.Name)]
public sealed class ScoreKillTests
{
    [Fact]
    public void ScoreKilledWhileWritingLeavesTheOldOutputAndTheNextRunCleansUp()
    {
        if (!OperatingSystem.IsLinux()) return;
        using var dir = new TempDir();
        string model = dir.File("m.safetensors");
        var train = Cli.CliRunner.Run("train", "--model", "vae", "--arch", "dense", "--latent", "2", "--epochs", "1", "--dataset", TestData.SubsetDir,
            "--class", "3", "--out", model);
        Assert.True(train.ExitCode == 0, train.Err);
        // 40,000 images: the subset's 200 test images 200 times, long enough to be killed mid-stream
        var (_, one) = Idx.Read(Path.Combine(TestData.SubsetDir, "t10k-images-idx3-ubyte"));
        var many = new byte[one.Length * 200];
        for (int k = 0; k < 200; k++) one.CopyTo(many, k * one.Length);
        string input = dir.File("many-idx3-ubyte");
        Idx.Write(input, [40_000, 28, 28], many);
        string output = dir.File("scores.csv");
        File.WriteAllText(output, "old\n");
        string[] args = ["score", "--model-file", model, "--input", input, "--score", "recon,density-x", "--batch-size", "64", "--output", output];

        using (var p = System.Diagnostics.Process.Start(LatentProcess.StartInfo(args))!)
        {
            _ = p.StandardOutput.ReadToEndAsync();
            _ = p.StandardError.ReadToEndAsync();
            string temp = $"{output}.tmp-{p.Id}";
            var clock = System.Diagnostics.Stopwatch.StartNew();
            while (!(File.Exists(temp) && new FileInfo(temp).Length > 0) && !p.HasExited && clock.Elapsed < TimeSpan.FromMinutes(2)) Thread.Sleep(20);
            Assert.False(p.HasExited, $"the run ended (exit {(p.HasExited ? p.ExitCode : 0)}) before rows reached its temporary");
            p.Kill();    // SIGKILL
            p.WaitForExit();
            Assert.True(new FileInfo(temp).Length > 0);
        }
        Assert.Equal("old\n", File.ReadAllText(output));

        var again = LatentProcess.Run(args, TimeSpan.FromMinutes(5));
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Equal(40_001, File.ReadLines(output).Count());
        Assert.Empty(Directory.GetFiles(dir.Path, "scores.csv.*", new EnumerationOptions { MatchType = MatchType.Simple }).Select(Path.GetFileName));    // neither the dead run's temporary nor a lock
    }
}

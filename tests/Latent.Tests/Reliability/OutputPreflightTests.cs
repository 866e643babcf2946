// Issue 12, items 5 and 6 and the empty-option messages, through the built `latent` executable:
//   5. a bad --out (a missing folder, a folder, a folder nobody may write in) is refused before any data is loaded:
//      fast, one line naming --out, nothing written; the --dataset given would fail if it were read (a missing
//      folder), so a message about the dataset means the check came too late.
//   6. --resume refuses --lr, --batch-size and --beta that differ from the checkpoint's, naming them, and leaves the
//      checkpoint as it was; --resume --epochs N continues.
//   --out "", --report "" and --data-dir "" each give one line naming the option (not "(Parameter 'path')").
using Xunit.Abstractions;

namespace Latent.Tests.Reliability;

[Collection(ReliabilityCollection.Name)]
public sealed class OutputPreflightTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    private static string[] Train(string outPath, string dataset, params string[] more) =>
        ["train", "--model", "vae", "--arch", "dense", "--latent", "2", "--epochs", "1", "--dataset", dataset, "--out", outPath, .. more];

    private LatentRun Refused(string[] args, int code, params string[] mustContain)
    {
        var run = LatentProcess.Run(args, Limit);
        output.WriteLine(run.ToString());
        Assert.True(run.ExitCode == code, run.ToString());
        string line = Assert.Single(run.ErrLines);
        foreach (string s in mustContain) Assert.Contains(s, line, StringComparison.Ordinal);
        Assert.DoesNotContain("(Parameter", line, StringComparison.Ordinal);
        return run;
    }

    public static TheoryData<string> BadOuts => ["missing-folder", "a-folder", "unwritable-folder"];

    [Theory]
    [MemberData(nameof(BadOuts))]
    public void BadOutIsRefusedBeforeAnyDataIsLoaded(string kind)
    {
        using var dir = new TempDir();
        string outPath = kind switch
        {
            "missing-folder" => dir.File(Path.Combine("missing", "m.safetensors")),
            "a-folder" => dir.Path,
            // /proc refuses new files even to root, for whom a chmod 555 folder would still be writable.
            _ => OperatingSystem.IsLinux() ? "/proc/latent-test-m.safetensors" : dir.File("m.safetensors"),
        };
        if (kind == "unwritable-folder" && !OperatingSystem.IsLinux()) return;
        var run = Refused(Train(outPath, dir.File("no-such-dataset")), kind == "unwritable-folder" ? 1 : 2, "--out " + outPath);
        Assert.DoesNotContain("dataset", run.Err, StringComparison.Ordinal);
        Assert.True(run.Elapsed < TimeSpan.FromSeconds(5), run.ToString());
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public void ResumeRefusesOtherTrainingValuesNamingThemAndAcceptsMoreEpochs()
    {
        using var dir = new TempDir();
        string m = dir.File("m.safetensors");
        var first = LatentProcess.Run(Train(m, TestData.SubsetDir), Limit);
        Assert.True(first.ExitCode == 0, first.ToString());
        byte[] saved = File.ReadAllBytes(m);

        foreach (string[] changed in new[] { new[] { "--lr", "0.01" }, ["--batch-size", "64", "--beta", "2"] })
        {
            Refused(Train(m, TestData.SubsetDir, ["--resume", .. changed]), 2, [.. changed.Where(a => a.StartsWith("--", StringComparison.Ordinal)), "--resume", m, "--force"]);
            Assert.Equal(saved, File.ReadAllBytes(m));
        }

        // The saved values given again change nothing, and --epochs is the run's length, not a setting: both continue.
        var more = LatentProcess.Run([.. Train(m, TestData.SubsetDir, "--resume", "--lr", "0.001", "--batch-size", "128")
            .Select(a => a == "1" ? "2" : a)], Limit);
        Assert.True(more.ExitCode == 0, more.ToString());
        Assert.Contains("epoch 2/2", more.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("epoch 1/2", more.Err, StringComparison.Ordinal);
        Assert.NotEqual(saved, File.ReadAllBytes(m));
    }

    [Fact]
    public void EmptyOutReportAndDataDirEachNameTheOption()
    {
        using var dir = new TempDir();
        Refused(Train("", TestData.SubsetDir), 2, "--out");
        Refused(["classmodel", "--model", "pca", "--dataset", TestData.SubsetDir, "--report", ""], 2, "--report");
        Refused(Train(dir.File("m.safetensors"), "mnist", "--data-dir", ""), 2, "--data-dir");
        Refused(["data", "fetch", "mnist", "--data-dir", ""], 2, "--data-dir");
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
    }
}

// `latent classmodel --report DIR`: writes a self-contained report; refuses a non-empty folder unless
// --force (before any work is done); an unwritable folder is a one-line error.
using System.Text.Json;

namespace Latent.Tests.Cli;

public class ReportOptionTests
{
    [Fact]
    public void WritesTheReportAndNamesItInJson()
    {
        using var dir = new TempDir();
        string report = Path.Combine(dir.Path, "report");
        var r = CliRunner.Run("classmodel", "--dataset", TestData.SubsetDir, "--latent", "5,10", "--report", report, "--json");
        Assert.True(r.ExitCode == 0, r.Err);
        using var doc = JsonDocument.Parse(r.Out);
        string index = doc.RootElement.GetProperty("report").GetString()!;
        Assert.Equal(Path.Combine(report, "index.html"), index);
        string html = File.ReadAllText(index);
        Assert.Contains("recon", html, StringComparison.Ordinal);
        Assert.Contains("data:image/png;base64,", html, StringComparison.Ordinal); // images inline
        Assert.DoesNotContain("<script src", html, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(report, "results.csv")));
    }

    [Fact]
    public void RefusesANonEmptyFolderWithoutForceAndKeepsItsFiles()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("notes.txt"), "mine");
        var r = CliRunner.Run("classmodel", "--dataset", TestData.SubsetDir, "--latent", "5", "--report", dir.Path);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--force", r.Err, StringComparison.Ordinal);
        Assert.Equal("", r.Out);
        Assert.Equal(["notes.txt"], Directory.GetFileSystemEntries(dir.Path).Select(Path.GetFileName));

        r = CliRunner.Run("classmodel", "--dataset", TestData.SubsetDir, "--latent", "5", "--report", dir.Path, "--force");
        Assert.True(r.ExitCode == 0, r.Err);
        Assert.True(File.Exists(dir.File("index.html")));
        Assert.Equal("mine", File.ReadAllText(dir.File("notes.txt")));
    }

    [Fact]
    public void UnwritableReportFolderIsAOneLineError()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("file"), "");
        var r = CliRunner.Run("classmodel", "--dataset", TestData.SubsetDir, "--latent", "5", "--report", Path.Combine(dir.File("file"), "report"));
        Assert.Equal(1, r.ExitCode);
        Assert.Single(r.Err.TrimEnd().Split('\n'));
        Assert.Contains("report", r.Err, StringComparison.Ordinal);
    }
}

public class ClassModelImagesTests
{
    [Fact]
    public void CodesComeFromTheSmallestLatentSizeWhateverTheOrder()
    {
        var request = new Latent.Models.Evaluation.ClassModelRequest
        {
            Model = Latent.Models.ModelRegistry.Get("pca"),
            Options = new Latent.Models.Classical.PcaOptions(),
            Latents = [10, 5, 8],
            RealClass = 3,
            FakeClasses = [5],
            KeepImages = true,
        };
        var cache = new Latent.Data.DataCache(Path.GetTempPath());
        var d = TestData.Subset;
        var train = Latent.Cli.ClassModelCommand.Labelled(Latent.Data.Datasets.Load(d, Latent.Data.Split.Train, cache), d);
        var test = Latent.Cli.ClassModelCommand.Labelled(Latent.Data.Datasets.Load(d, Latent.Data.Split.Test, cache), d);
        var run = Latent.Models.Evaluation.ClassModelProtocol.Run(request, train, test);
        var codes = run.Images!.Codes!.Value;
        Assert.Equal(5, codes.Dims);
        Assert.Equal("pca k=5", codes.Name);
        Assert.Equal(3, run.Images.Reconstructions.Count);
    }
}

// docs/LIBRARY.md shows LibraryExample's code as it is compiled here, and the example runs: on the committed subset (24
// training 3s after the calibration split, 6 calibration images, so alpha 0.25: the smallest alpha they certify is
// 1/7) it calls some of the 20 test 5s novel (6 when written), exactly the ones `latent train` + `latent score --alpha`
// call novel.
using System.Text.Json;
using Latent.Tests.Cli;

namespace Latent.Tests.Models;

public class LibraryExampleTests
{
    private static string Root() => TestData.RepositoryRoot;

    [Fact]
    public void TheLibraryPageShowsTheCompiledExample()
    {
        string source = File.ReadAllText(Path.Combine(Root(), "tests", "Latent.Tests", "Models", "LibraryExample.cs"));
        int begin = source.IndexOf("// example begin\n", StringComparison.Ordinal), end = source.IndexOf("    // example end", StringComparison.Ordinal);
        Assert.True(begin > 0 && end > begin, "LibraryExample.cs has lost its example markers");
        string[] lines = [.. source[(begin + "// example begin\n".Length)..end].TrimEnd().Split('\n').Select(l => l.StartsWith("    ", StringComparison.Ordinal) ? l[4..] : l)];
        string page = File.ReadAllText(Path.Combine(Root(), "docs", "LIBRARY.md"));
        Assert.Contains(string.Join('\n', lines), page, StringComparison.Ordinal);
    }

    [Fact]
    public void TheExampleRunsAndDecidesAsTheCommandsDo()
    {
        var (novel, count) = LibraryExample.NovelFives(TestData.SubsetDir, 0.25);
        Assert.Equal(TestData.SubsetTest.OfClass(5).Count, count);
        Assert.InRange(novel, 1, count);

        using var dir = new TempDir();
        string path = dir.File("pca.safetensors");
        CliRunner.TrainOnThrees("pca", path, 10, "--calibration", "0.2");
        var r = CliRunner.Run("score", "--model-file", path, "--input", TestData.SubsetDir + ":5", "--score", "ppca", "--alpha", "0.25", "--json");
        Assert.True(r.ExitCode == 0, r.Err);
        using var doc = JsonDocument.Parse(r.Out);
        Assert.Equal(novel, doc.RootElement.GetProperty("samples").EnumerateArray().Count(s => s.GetProperty("decisions").GetProperty("ppca").GetString() == "novel"));
    }
}

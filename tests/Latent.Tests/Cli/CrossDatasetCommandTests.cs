// `latent classmodel --fake DATASET:CLASSES`: a model of one dataset (every class, or some) scored on its test images
// (real) against another dataset's test images (fake), end to end on the committed subset and an IDX folder made from
// it (the subset's images negated, so a class model tells them apart); each bad input is a one-line usage error.
using System.Text.Json;
using Latent.Data;

namespace Latent.Tests.Cli;

public class CrossDatasetCommandTests
{
    private static readonly string Subset = TestData.SubsetDir;

    /// <summary>An MNIST-layout IDX folder named <paramref name="name"/>: the subset's images negated (255 - k), or
    /// cropped to their top-left <paramref name="size"/> x <paramref name="size"/> pixels.</summary>
    private static string OtherDataset(TempDir dir, string name, int size = 28)
    {
        string folder = dir.File(name);
        Directory.CreateDirectory(folder);
        foreach (string split in new[] { "train", "t10k" })
        {
            var (dims, data) = Idx.Read(Path.Combine(Subset, $"{split}-images-idx3-ubyte"));
            int n = dims[0], h = dims[1], w = dims[2];
            var pixels = new byte[n * size * size];
            for (int i = 0; i < n; i++)
                for (int y = 0; y < size; y++)
                    for (int x = 0; x < size; x++)
                        pixels[(i * size + y) * size + x] = (byte)(255 - data[(i * h + y) * w + x]);
            Idx.Write(Path.Combine(folder, $"{split}-images-idx3-ubyte"), [n, size, size], pixels);
            File.Copy(Path.Combine(Subset, $"{split}-labels-idx1-ubyte"), Path.Combine(folder, $"{split}-labels-idx1-ubyte"));
        }
        return folder;
    }

    private static int TestCount(string folder, params int[] classes)
    {
        var (_, labels) = Idx.Read(Path.Combine(folder, "t10k-labels-idx1-ubyte"));
        return classes.Length == 0 ? labels.Length : labels.Count(l => classes.Contains(l));
    }

    [Fact]
    public void AllClassesAgainstAnotherDatasetReportsEveryScore()
    {
        using var dir = new TempDir();
        string other = OtherDataset(dir, "negated");
        var r = CliRunner.Run("classmodel", "--model", "pca", "--latent", "5", "--dataset", Subset, "--real", "all-classes", "--fake", other + ":all", "--json");
        Assert.True(r.ExitCode == 0, r.Err);
        using var doc = JsonDocument.Parse(r.Out);
        var results = doc.RootElement.GetProperty("results");
        Assert.True(results.GetArrayLength() >= 1);
        foreach (var row in results.EnumerateArray())
        {
            Assert.Equal("mnist-subset", row.GetProperty("real").GetString());
            Assert.Equal("negated", row.GetProperty("fake").GetString());
            Assert.InRange(row.GetProperty("balancedErrorLow").GetDouble(), 0, row.GetProperty("balancedErrorHigh").GetDouble());
            Assert.True(row.TryGetProperty("threshold", out _));
        }
        // a model of the digits tells their negatives apart: its best score ranks (nearly) all of them above
        Assert.True(results.EnumerateArray().Max(e => e.GetProperty("auroc").GetDouble()) > 0.95, r.Out);
        var text = CliRunner.Run("classmodel", "--model", "pca", "--latent", "5", "--dataset", Subset, "--real", "all-classes", "--fake", other + ":all");
        Assert.True(text.ExitCode == 0, text.Err);
        Assert.Contains($"mnist-subset (in) vs negated (out)", text.Out, StringComparison.Ordinal);
        Assert.Contains($"test {TestCount(Subset)} real / {TestCount(other)} fake", text.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void ClassesOnEitherSideAndTheReport()
    {
        using var dir = new TempDir();
        string other = OtherDataset(dir, "negated");
        string report = dir.File("report");
        var r = CliRunner.Run("classmodel", "--model", "gaussian", "--dataset", Subset, "--real", "3", "--fake", other + ":5,7", "--report", report);
        Assert.True(r.ExitCode == 0, r.Err);
        Assert.Contains($"test {TestCount(Subset, 3)} real / {TestCount(other, 5, 7)} fake", r.Out, StringComparison.Ordinal);
        Assert.Contains("negated:5,7", r.Out, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(report, "index.html")));
        Assert.Contains("negated:5,7", File.ReadAllText(Path.Combine(report, "index.html")), StringComparison.Ordinal);
    }

    [Fact]
    public void AFlowModelsOneDatasetAgainstAnother()
    {
        using var dir = new TempDir();
        string other = OtherDataset(dir, "negated");
        var r = CliRunner.Run("classmodel", "--model", "made", "--flow-width", "16", "--epochs", "1", "--dataset", Subset, "--real", "all-classes", "--fake", other + ":all", "--json");
        Assert.True(r.ExitCode == 0, r.Err);
        using var doc = JsonDocument.Parse(r.Out);
        Assert.Equal(["nll", "likelihood-ratio", "typicality", "complexity"],
            doc.RootElement.GetProperty("results").EnumerateArray().Select(e => e.GetProperty("score").GetString()));
    }

    [Fact]
    public void AnotherDatasetNeedsALabelledIdxDataset()
    {
        using var dir = new TempDir();
        string root = dir.File("parts");
        UserImageFolders.Write(Path.Combine(root, "three"), TestData.SubsetTrain, 3);
        UserImageFolders.Write(Path.Combine(root, "five"), TestData.SubsetTrain, 5);
        var r = CliRunner.Run("classmodel", "--model", "pca", "--latent", "2", "--dataset", "folder:" + root, "--real", "three", "--fake", "mnist:all");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("names another dataset; that protocol needs --dataset mnist, fashion-mnist or a folder of MNIST-layout IDX files", r.Err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--real", "all-classes", "--fake", "5", "give --fake DATASET:all")]
    [InlineData("--real", "all", "--fake", "OTHER:all", "give --real all-classes")]
    [InlineData("--real", "all-classes", "--fake", "nosuch:all", "unknown dataset 'nosuch'")]
    [InlineData("--real", "all-classes", "--fake", "SUBSET:all", "names the modelled dataset")]
    [InlineData("--real", "all-classes", "--fake", "OTHER:", "as DATASET:CLASSES")]
    [InlineData("--real", "all-classes", "--fake", "OTHER:12", "unknown class '12'")]
    [InlineData("--real", "11", "--fake", "OTHER:all", "unknown class '11'")]
    [InlineData("--real", "all-classes", "--fake", "SMALL:all", "its images are 20x20, the modelled dataset's 28x28")]
    [InlineData("--validation", "0.2", "--fake", "OTHER:all", "drop --validation")]
    public void BadCrossDatasetRequestsAreUsageErrors(string option1, string value1, string option2, string value2, string message)
    {
        using var dir = new TempDir();
        string other = OtherDataset(dir, "negated"), small = OtherDataset(dir, "small", 20);
        string Fill(string v) => v.Replace("OTHER", other, StringComparison.Ordinal).Replace("SUBSET", Subset, StringComparison.Ordinal).Replace("SMALL", small, StringComparison.Ordinal);
        string[] args = ["classmodel", "--model", "gaussian", "--dataset", Subset, option1, Fill(value1), option2, Fill(value2)];
        var r = CliRunner.Run(args);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(message, r.Err, StringComparison.Ordinal);
        Assert.Single(r.Err.Trim().Split('\n'));
    }
}

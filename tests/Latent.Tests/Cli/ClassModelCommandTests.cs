// `latent classmodel` end to end on the committed subset, and every bad input as a one-line error.
using System.Text.Json;

namespace Latent.Tests.Cli;

public class ClassModelCommandTests
{
    private static readonly string Subset = TestData.SubsetDir;

    [Fact]
    public void JsonHoldsOneObjectPerLatentAndScore()
    {
        var r = CliRunner.Run("classmodel", "--model", "pca", "--dataset", Subset, "--real", "3", "--fake", "5", "--latent", "5,10", "--json");
        Assert.True(r.ExitCode == 0, r.Err);
        using var doc = JsonDocument.Parse(r.Out); // stdout is exactly one JSON document
        var results = doc.RootElement.GetProperty("results");
        Assert.Equal(6, results.GetArrayLength());
        var first = results[0];
        foreach (string key in new[] { "real", "fake", "model", "latent", "score", "balancedError", "balancedErrorLow", "balancedErrorHigh", "pooledError", "auroc", "threshold" })
            Assert.True(first.TryGetProperty(key, out _), key);
        foreach (var row in results.EnumerateArray())
            Assert.InRange(row.GetProperty("balancedErrorLow").GetDouble(), 0, row.GetProperty("balancedErrorHigh").GetDouble());
        Assert.Equal("3", first.GetProperty("real").GetString());
        Assert.Equal("5", first.GetProperty("fake").GetString());
        Assert.Equal(5, first.GetProperty("latent").GetInt32());
        Assert.InRange(first.GetProperty("auroc").GetDouble(), 0, 1);
        Assert.Equal("", r.Err);
    }

    [Fact]
    public void KnnHasNullLatent()
    {
        var r = CliRunner.Run("classmodel", "--model", "knn", "--dataset", Subset, "--json");
        Assert.True(r.ExitCode == 0, r.Err);
        using var doc = JsonDocument.Parse(r.Out);
        var row = doc.RootElement.GetProperty("results")[0];
        Assert.Equal(JsonValueKind.Null, row.GetProperty("latent").ValueKind);
        Assert.Equal("distance", row.GetProperty("score").GetString());
    }

    [Fact]
    public void OneVsRestPrintsThePerClassTableWithItsMean()
    {
        var r = CliRunner.Run("classmodel", "--model", "gaussian", "--dataset", Subset, "--real", "all", "--fake", "rest");
        Assert.True(r.ExitCode == 0, r.Err);
        Assert.Contains("one-vs-rest AUROC", r.Out, StringComparison.Ordinal);
        Assert.Contains("mean", r.Out, StringComparison.Ordinal);
        var json = CliRunner.Run("classmodel", "--model", "gaussian", "--dataset", Subset, "--real", "all", "--fake", "rest", "--json");
        using var doc = JsonDocument.Parse(json.Out);
        Assert.Equal(10, doc.RootElement.GetProperty("results").GetArrayLength());
        double mean = doc.RootElement.GetProperty("results").EnumerateArray().Average(e => e.GetProperty("auroc").GetDouble());
        var m = doc.RootElement.GetProperty("meanAuroc")[0];
        Assert.Equal(mean, m.GetProperty("auroc").GetDouble(), 12);
        double low = m.GetProperty("aurocLow").GetDouble(), high = m.GetProperty("aurocHigh").GetDouble();
        Assert.True(low < mean && mean < high && high <= 1, $"the bootstrap interval {low}-{high} around the mean {mean}");
        Assert.Contains("95% CI (bootstrap)", r.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("unknown model 'vea'", "--model", "vea")]
    [InlineData("unknown class '11'", "--real", "11")]
    [InlineData("unknown class 'x'", "--fake", "x")]
    [InlineData("latent size 900 is out of range", "--latent", "10,900")]
    [InlineData("latent size 0 is out of range", "--latent", "0")]
    [InlineData("'ten' is not a whole number", "--latent", "ten")]
    [InlineData("must differ", "--fake", "3")]
    [InlineData("needs --fake rest", "--real", "all")]
    [InlineData("has no score 'elbo'", "--score", "elbo")]
    [InlineData("unknown metric", "--metric", "manhattan")]
    [InlineData("unknown schedule 'linear'; use constant or cosine", "--lr-schedule", "linear")]
    [InlineData("unknown likelihood 'poisson'; use bernoulli or gaussian", "--likelihood", "poisson")]
    [InlineData("unknown architecture 'rnn'; use conv or dense", "--arch", "rnn")]
    [InlineData("--denoise 1.5: the noise std must be in (0, 1]", "--denoise", "1.5")]
    [InlineData("--iwae 0: give the number of importance samples", "--iwae", "0")]
    [InlineData("--ensemble 0: give the number of models to average, 1 to 64", "--ensemble", "0")]
    [InlineData("--ensemble 2: model 'pca' is fitted exactly", "--ensemble", "2")]
    [InlineData("--augment shear=2: unknown augmentation field 'shear'", "--augment", "shear=2")]
    [InlineData("--batch-size 1: a mini-batch needs at least 2 images", "--batch-size", "1")]
    public void BadValuesAreOneLineErrorsWithExitCode2(string expected, string option, string value)
    {
        var r = CliRunner.Run("classmodel", "--dataset", Subset, option, value);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(expected, r.Err, StringComparison.Ordinal);
        Assert.Single(r.Err.TrimEnd().Split('\n'));
        Assert.Equal("", r.Out);
    }

    [Fact]
    public void LatentOnAModelWithoutOneIsAnError()
    {
        var r = CliRunner.Run("classmodel", "--model", "knn", "--dataset", Subset, "--latent", "10");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("has no latent size", r.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownOptionIsAOneLineError()
    {
        var r = CliRunner.Run("classmodel", "--lantent", "10");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--lantent", r.Err, StringComparison.Ordinal);
        Assert.Single(r.Err.TrimEnd().Split('\n'));
    }

    [Fact]
    public void MissingDatasetFolderIsAnError()
    {
        var r = CliRunner.Run("classmodel", "--dataset", "/nonexistent/mnist-folder");
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("does not exist", r.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void CorruptCachedDataIsAnErrorWithExitCode1()
    {
        using var dir = new TempDir();
        string mnist = TestData.CopySubsetTo(Path.Combine(dir.Path, "mnist"));
        File.WriteAllBytes(Path.Combine(mnist, "train-labels-idx1-ubyte"), [0, 0, 8, 1, 0, 0]);
        var r = CliRunner.Run("classmodel", "--data-dir", dir.Path);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("train-labels-idx1-ubyte", r.Err, StringComparison.Ordinal);
        Assert.Contains("latent data fetch mnist", r.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void UnwritableCacheFolderIsAnErrorWithExitCode1()
    {
        using var dir = new TempDir();
        string file = dir.File("file");
        File.WriteAllText(file, "");
        var r = CliRunner.Run("data", "fetch", "mnist", "--data-dir", Path.Combine(file, "cache"));
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("not writable", r.Err, StringComparison.Ordinal);
        Assert.Contains("--data-dir", r.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownDatasetForFetchIsAnError()
    {
        var r = CliRunner.Run("data", "fetch", "cifar10");
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("known datasets: mnist, fashion-mnist", r.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void DataListJsonNamesBothDatasets()
    {
        using var dir = new TempDir();
        var r = CliRunner.Run("data", "list", "--json", "--data-dir", dir.Path);
        Assert.Equal(0, r.ExitCode);
        using var doc = JsonDocument.Parse(r.Out);
        Assert.Equal(["mnist", "fashion-mnist"], doc.RootElement.EnumerateArray().Select(e => e.GetProperty("dataset").GetString()));
        Assert.All(doc.RootElement.EnumerateArray(), e => Assert.False(e.GetProperty("cached").GetBoolean()));
    }
}

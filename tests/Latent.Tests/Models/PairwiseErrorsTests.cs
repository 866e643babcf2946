// PairwiseErrors: every (real, fake) class pair of a one-vs-rest run equals the pair's own two-class run (the same
// fit, the fake side restricted to one class), the summary figures are those of the matrix, and a run that is not
// one-vs-rest is refused; the command's --pairs prints the matrix and refuses a two-class run.
using System.Text.Json;
using Latent.Cli;
using Latent.Models;
using Latent.Models.Classical;
using Latent.Models.Evaluation;
using Latent.Tests.Cli;

namespace Latent.Tests.Models;

public class PairwiseErrorsTests
{
    private static (LabelledSamples Train, LabelledSamples Test) Subset() =>
        (ClassModelCommand.Labelled(TestData.SubsetTrain, TestData.Subset), ClassModelCommand.Labelled(TestData.SubsetTest, TestData.Subset));

    private static ClassModelRequest Pca(int? real, int[]? fakes) => new()
    {
        Model = ModelRegistry.Get("pca"), Options = new PcaOptions(), Latents = [4], RealClass = real, FakeClasses = fakes, Scores = ["recon", "ppca"],
    };

    [Fact]
    public void EveryPairEqualsItsOwnTwoClassRun()
    {
        var (train, test) = Subset();
        var matrices = PairwiseErrors.Of(ClassModelProtocol.Run(Pca(null, null), train, test));
        Assert.Equal(2, matrices.Count);
        int n = train.ClassNames.Count;
        for (int r = 0; r < n; r++)
            for (int f = 0; f < n; f++)
            {
                if (f == r) continue;
                var pair = ClassModelProtocol.Run(Pca(r, [f]), train, test);
                foreach (var m in matrices)
                {
                    var own = pair.Entries.Single(e => e.Result.Score == m.Score).Result;
                    Assert.Equal(own.BalancedError, m.Error[r, f]);
                    Assert.Equal(own.Auroc, m.Auroc[r, f]);
                }
            }
    }

    [Fact]
    public void SummariesAreThoseOfTheMatrix()
    {
        var (train, test) = Subset();
        var m = PairwiseErrors.Of(ClassModelProtocol.Run(Pca(null, null), train, test))[0];
        int n = m.ClassNames.Count;
        var off = new List<(int, int, double)>();
        for (int i = 0; i < n; i++)
        {
            Assert.True(double.IsNaN(m.Error[i, i]));
            for (int j = 0; j < n; j++) if (j != i) off.Add((i, j, m.Error[i, j]));
        }
        Assert.Equal(n * (n - 1), m.Pairs().Count());
        Assert.Equal(off.Average(p => p.Item3), m.MeanError, 12);
        Assert.Equal(off.Max(p => p.Item3), m.Worst.Error);
        Assert.Equal("pca k=4 recon", m.Caption);
    }

    [Fact]
    public void ATwoClassRunIsRefused()
    {
        var (train, test) = Subset();
        var run = ClassModelProtocol.Run(Pca(3, [5]), train, test);
        var e = Assert.Throws<ArgumentException>(() => PairwiseErrors.Of(run));
        Assert.Contains("one-vs-rest", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CommandPrintsTheMatrixAndItsJson()
    {
        var r = CliRunner.Run("classmodel", "--model", "pca", "--latent", "4", "--score", "recon", "--dataset", TestData.SubsetDir, "--real", "all", "--fake", "rest", "--pairs");
        Assert.True(r.ExitCode == 0, r.Err);
        Assert.Contains("balanced error % of every class pair", r.Out, StringComparison.Ordinal);
        Assert.Contains("pca k=4 recon: mean over the 90 pairs", r.Out, StringComparison.Ordinal);
        var json = CliRunner.Run("classmodel", "--model", "pca", "--latent", "4", "--score", "recon", "--dataset", TestData.SubsetDir, "--real", "all", "--fake", "rest", "--pairs", "--json");
        Assert.True(json.ExitCode == 0, json.Err);
        using var doc = JsonDocument.Parse(json.Out);
        var pairs = doc.RootElement.GetProperty("pairs");
        Assert.Equal(1, pairs.GetArrayLength());
        var cells = pairs[0].GetProperty("pairs").EnumerateArray().ToList();
        Assert.Equal(90, cells.Count);
        Assert.Equal(cells.Average(c => c.GetProperty("balancedError").GetDouble()), pairs[0].GetProperty("meanBalancedError").GetDouble(), 12);
        Assert.DoesNotContain(cells, c => c.GetProperty("real").GetString() == c.GetProperty("fake").GetString());
        var plain = CliRunner.Run("classmodel", "--model", "pca", "--latent", "4", "--score", "recon", "--dataset", TestData.SubsetDir, "--real", "all", "--fake", "rest", "--json");
        using var plainDoc = JsonDocument.Parse(plain.Out);
        Assert.False(plainDoc.RootElement.TryGetProperty("pairs", out _));
    }

    [Fact]
    public void ACompanionOfTheSameKindKeepsItsOwnRows()
    {
        // --model knn --metric cosine with --fuse-with "knn" (Euclidean): two knn models, the companion named knn-2, so the
        // one-vs-rest means and the pair matrices do not pool them
        var r = CliRunner.Run("classmodel", "--model", "knn", "--metric", "cosine", "--dataset", TestData.SubsetDir, "--real", "all", "--fake", "rest",
            "--fuse", "--fuse-with", "knn", "--pairs", "--json");
        Assert.True(r.ExitCode == 0, r.Err);
        using var doc = JsonDocument.Parse(r.Out);
        var results = doc.RootElement.GetProperty("results").EnumerateArray().ToList();
        var cosine = results.Where(e => e.GetProperty("model").GetString() == "knn").ToList();
        var euclid = results.Where(e => e.GetProperty("model").GetString() == "knn-2").ToList();
        Assert.Equal(10, cosine.Count);
        Assert.Equal(10, euclid.Count);
        var means = doc.RootElement.GetProperty("meanAuroc").EnumerateArray().ToDictionary(e => e.GetProperty("model").GetString()!, e => e.GetProperty("auroc").GetDouble());
        Assert.Equal(cosine.Average(e => e.GetProperty("auroc").GetDouble()), means["knn"], 12);
        Assert.Equal(euclid.Average(e => e.GetProperty("auroc").GetDouble()), means["knn-2"], 12);
        Assert.NotEqual(means["knn"], means["knn-2"]);
        Assert.Equal(new[] { "knn", "knn-2", "fused" }, doc.RootElement.GetProperty("pairs").EnumerateArray().Select(p => p.GetProperty("model").GetString() ?? "").ToArray());
    }

    [Fact]
    public void PairsWithoutOneVsRestIsAOneLineError()
    {
        var r = CliRunner.Run("classmodel", "--model", "pca", "--dataset", TestData.SubsetDir, "--real", "3", "--fake", "5", "--pairs");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--pairs splits a one-vs-rest run into its class pairs; give --real all --fake rest", r.Err, StringComparison.Ordinal);
        Assert.Single(r.Err.TrimEnd().Split('\n'));
    }
}

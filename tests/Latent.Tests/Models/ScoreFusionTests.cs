// Score fusion: each term standardised on the held-out normal scores and averaged; constant terms left out.
using Latent.Models.Evaluation;

namespace Latent.Tests.Models;

public class ScoreFusionTests
{
    [Fact]
    public void FusedIsTheMeanOfStandardisedTerms()
    {
        double[] refA = [1, 2, 3], refB = [10, 30, 20], refC = [5, 5, 5];   // sd 1, sd 10, constant
        var (real, fake, used) = ScoreFusion.Fuse([(refA, [2.0], [4.0]), (refB, [20.0, ], [50.0]), (refC, [5.0], [99.0])]);
        Assert.Equal(2, used);
        Assert.Equal(((2 - 2) / 1.0 + (20 - 20) / 10.0) / 2, real[0], 12);
        Assert.Equal(((4 - 2) / 1.0 + (50 - 20) / 10.0) / 2, fake[0], 12);
        Assert.Throws<ArgumentException>(() => ScoreFusion.Fuse([(refC, [1.0], [2.0])]));
    }

    [Fact]
    public void ClassModelFuseAddsAFusedRowAndValidationReadsNoTestImage()
    {
        var r = Latent.Tests.Cli.CliRunner.Run("classmodel", "--model", "pca", "--latent", "3,5", "--dataset", TestData.SubsetDir, "--real", "3", "--fake", "5",
            "--fuse", "--validation", "0.3", "--json");
        Assert.True(r.ExitCode == 0, r.Err);
        using var doc = System.Text.Json.JsonDocument.Parse(r.Out);
        var rows = doc.RootElement.GetProperty("results").EnumerateArray().ToList();
        var fused = Assert.Single(rows, x => x.GetProperty("score").GetString() == "fused");
        Assert.Equal("fused", fused.GetProperty("model").GetString());
        Assert.InRange(fused.GetProperty("auroc").GetDouble(), 0.5, 1.0);
        Assert.Equal(7, rows.Count);   // 2 latent sizes x 3 scores + fused
        var text = Latent.Tests.Cli.CliRunner.Run("classmodel", "--model", "pca", "--latent", "3", "--dataset", TestData.SubsetDir, "--validation", "0.3");
        Assert.True(text.ExitCode == 0, text.Err);
        Assert.Contains("evaluating on 90 held-out training images, fitting on the other 210; the test split is not read", text.Err, StringComparison.Ordinal);

        var bad = Latent.Tests.Cli.CliRunner.Run("classmodel", "--model", "pca", "--dataset", TestData.SubsetDir, "--validation", "1.5");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("--validation 1.5 is not a fraction strictly between 0 and 1", bad.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void FittedWeightsTurnABackwardTermRoundAndBeatTheEqualMean()
    {
        var rng = new Random(4);
        double N() => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
        // term a: fakes higher by 2 sd; term b: fakes LOWER by 2 sd (a backward score); term c: noise
        (double[] Normal, double[] Fake) Term(double shift, int n) => (Enumerable.Range(0, n).Select(_ => N()).ToArray(), Enumerable.Range(0, n).Select(_ => N() + shift).ToArray());
        var terms = new List<(double[], double[], double[], double[])>();
        foreach (double shift in new[] { 2.0, -2.0, 0.0 })
        {
            var (reference, fakeRef) = Term(shift, 400);
            var (real, fake) = Term(shift, 300);
            terms.Add((reference, fakeRef, real, fake));
        }
        var (fr, ff, w) = ScoreFusion.FuseFitted(terms);
        Assert.True(w[0] > 1 && w[1] < -1, $"weights {string.Join(", ", w)}: the backward term was not turned round");
        Assert.True(Math.Abs(w[2]) < 0.3 * w[0], $"the noise term got weight {w[2]}");
        double fitted = BinaryMetrics.Compute(fr, ff).Auroc;
        var (er, ef, _) = ScoreFusion.Fuse(terms.Select(t => (t.Item1, t.Item3, t.Item4)).ToList());
        double equal = BinaryMetrics.Compute(er, ef).Auroc, single = BinaryMetrics.Compute(terms[0].Item3, terms[0].Item4).Auroc;
        Assert.True(fitted > single && fitted > equal + 0.1, $"fitted {fitted}, best single {single}, equal weights {equal}");
    }

    [Fact]
    public void ClassModelFusesAcrossKindsWithWeightsFittedOnTrainingImages()
    {
        var r = Latent.Tests.Cli.CliRunner.Run("classmodel", "--model", "pca", "--latent", "3", "--dataset", TestData.SubsetDir, "--real", "3", "--fake", "5",
            "--fuse", "--fuse-weights", "fit", "--fuse-with", "knn --metric cosine", "--json");
        Assert.True(r.ExitCode == 0, r.Err);
        using var doc = System.Text.Json.JsonDocument.Parse(r.Out);
        var rows = doc.RootElement.GetProperty("results").EnumerateArray().ToList();
        Assert.Single(rows, x => x.GetProperty("model").GetString() == "knn");
        Assert.Single(rows, x => x.GetProperty("score").GetString() == "fused");
        var fitted = Assert.Single(rows, x => x.GetProperty("score").GetString() == "fused-fit");
        Assert.InRange(fitted.GetProperty("auroc").GetDouble(), 0.5, 1.0);

        var noFuse = Latent.Tests.Cli.CliRunner.Run("classmodel", "--model", "pca", "--dataset", TestData.SubsetDir, "--fuse-with", "knn");
        Assert.Equal(2, noFuse.ExitCode);
        Assert.Contains("add --fuse", noFuse.Err, StringComparison.Ordinal);
        var badKind = Latent.Tests.Cli.CliRunner.Run("classmodel", "--model", "pca", "--dataset", TestData.SubsetDir, "--fuse", "--fuse-with", "--latent 3");
        Assert.Equal(2, badKind.ExitCode);
        Assert.Contains("start with a model kind", badKind.Err, StringComparison.Ordinal);
        var badWeights = Latent.Tests.Cli.CliRunner.Run("classmodel", "--model", "pca", "--dataset", TestData.SubsetDir, "--fuse", "--fuse-weights", "tuned");
        Assert.Equal(2, badWeights.ExitCode);
        Assert.Contains("--fuse-weights: unknown fusion weighting 'tuned'", badWeights.Err, StringComparison.Ordinal);
    }
}

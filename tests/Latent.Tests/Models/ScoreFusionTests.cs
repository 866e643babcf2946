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
}

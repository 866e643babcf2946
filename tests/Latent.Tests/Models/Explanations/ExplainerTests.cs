// Explanations: a pasted patch is where the residual map peaks (PCA and a trained autoencoder), the nearest-neighbour
// list equals a brute-force search (a naive double-precision oracle), a score's terms add up to it, p-values are the
// calibration's, and every bad request is a one-line ArgumentException saying what to do.
using Latent.Models;
using Latent.Models.Autoencoders;
using Latent.Models.Classical;
using Latent.Models.Conformal;
using Latent.Models.Explanations;
using Latent.Models.Scores;
using Latent.Models.Training;
using Latent.Tests.Models.Autoencoders;

namespace Latent.Tests.Models.Explanations;

public class ExplainerTests
{
    private static Samples TestThrees()
    {
        var s = TestData.SubsetTest.OfClass(3);
        return new Samples(s.Pixels, s.Count, ImageShape.Gray(28, 28));
    }

    private static Samples Gray(Samples s) => new(s.X, s.Count, ImageShape.Gray(28, 28));

    /// <summary>The first test 3 with a white 5 x 5 patch at rows 1..5, columns 1..5 (upper left, empty in MNIST).</summary>
    private static Samples Patched()
    {
        var x = TestThrees().Row(0).ToArray();
        for (int r = 1; r <= 5; r++)
            for (int c = 1; c <= 5; c++) x[r * 28 + c] = 1f;
        return new Samples(x, 1, ImageShape.Gray(28, 28));
    }

    private static bool InPatch(ResidualMap m) => m.PeakRow is >= 1 and <= 5 && m.PeakColumn is >= 1 and <= 5;

    [Fact]
    public void APastedPatchIsWhereThePcaResidualPeaks()
    {
        var train = Gray(AutoencoderTestData.Threes());
        var pca = new PcaGaussian(PcaBasis.Fit(train, 8), 8);
        var e = new Explainer(pca, new ExplainerOptions { Reference = train }).Explain(Patched())[0];
        Assert.NotNull(e.Residual);
        Assert.True(InPatch(e.Residual), $"peak at ({e.Residual.PeakRow}, {e.Residual.PeakColumn})");
        Assert.Equal("ppca", e.Score);
        Assert.Equal(ScoreTerms.Reconstruction, e.LeadingTerm);
        Assert.Contains("reconstruction error", e.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void APastedPatchIsWhereATrainedAutoencodersResidualPeaks()
    {
        var train = Gray(AutoencoderTestData.Threes());
        var model = AutoencoderModel.Create(AutoencoderTestData.Dense(AutoencoderKind.Ae, 4).WithTraining(t => t with { Epochs = 30 }));
        Assert.Equal(ImageShape.Gray(28, 28).Dim, model.Shape.Dim);
        new Trainer(model).Train(new Samples(train.X, train.Count, model.Shape), 0, 30);
        var patched = Patched();
        var e = new Explainer(new GenerativeScores(model), new ExplainerOptions { Score = "recon" })
            .Explain(new Samples(patched.X, 1, model.Shape))[0];
        Assert.NotNull(e.Residual);
        Assert.True(InPatch(e.Residual), $"peak at ({e.Residual.PeakRow}, {e.Residual.PeakColumn})");
    }

    [Fact]
    public void ResidualMapRegionsAndPeak()
    {
        var shape = ImageShape.Gray(6, 6);
        var x = new float[36];
        x[5] = 1f;          // row 0, column 5: the upper right ninth
        x[6 * 5] = 0.25f;   // row 5, column 0: the lower left ninth
        var m = ResidualMap.Of(x, new float[36], shape);
        Assert.Equal((0, 5), (m.PeakRow, m.PeakColumn));
        Assert.Equal(1.25, m.Total, 6);
        Assert.Equal("upper right", m.Region);
        Assert.Equal(0.8, m.RegionShare, 6);
        Assert.Equal(0.2, m.RegionShares[6], 6);
        Assert.Equal("concentrated in the upper right", m.Where);
        Assert.Throws<ArgumentException>(() => ResidualMap.Of(x, new float[35], shape));
    }

    /// <summary>The oracle: every distance in double, sorted by (distance, index).</summary>
    private static (int Index, double Distance)[] BruteForce(float[] codes, int n, int z, float[] q, int k) =>
        Enumerable.Range(0, n).Select(i =>
        {
            double s = 0;
            for (int j = 0; j < z; j++) s += ((double)q[j] - codes[i * z + j]) * ((double)q[j] - codes[i * z + j]);
            return (Index: i, Distance: Math.Sqrt(s));
        }).OrderBy(t => t.Distance).ThenBy(t => t.Index).Take(k).ToArray();

    [Theory]
    [InlineData(500, 7, 5)]
    [InlineData(64, 20, 64)]
    [InlineData(10, 3, 25)]
    public void NearestNeighboursEqualABruteForceSearch(int n, int z, int k)
    {
        var rng = new Random(n * 31 + z);
        var codes = Enumerable.Range(0, n * z).Select(_ => (float)(rng.NextDouble() * 4 - 2)).ToArray();
        for (int j = 0; j < z; j++) codes[(n - 1) * z + j] = codes[j];    // a duplicate of code 0: a tie, lower index first
        var index = new CodeIndex(codes, n, z);
        for (int t = 0; t < 20; t++)
        {
            var q = t == 0 ? codes[..z] : Enumerable.Range(0, z).Select(_ => (float)(rng.NextDouble() * 4 - 2)).ToArray();
            var got = index.Nearest(q, k);
            var want = BruteForce(codes, n, z, q, k);
            Assert.Equal(want.Select(w => w.Index), got.Select(g => g.Index));
            for (int i = 0; i < want.Length; i++) Assert.Equal(want[i].Distance, got[i].Distance, 9);
        }
    }

    [Fact]
    public void TheExplainersNeighboursAreTheReferenceCodesNearest()
    {
        var train = Gray(AutoencoderTestData.Threes());
        var pca = new PcaGaussian(PcaBasis.Fit(train, 5), 5);
        var test = TestThrees();
        var explained = new Explainer(pca, new ExplainerOptions { Reference = train, Neighbours = 4 }).Explain(test);
        float[] rc = pca.Encode(train), tc = pca.Encode(test);
        for (int i = 0; i < test.Count; i++)
        {
            var want = BruteForce(rc, train.Count, 5, tc[(i * 5)..(i * 5 + 5)], 4);
            Assert.Equal(want.Select(w => w.Index), explained[i].Neighbours.Select(g => g.Index));
        }
    }

    [Fact]
    public void TermsAddUpToTheScoreAndPValuesAreTheCalibrations()
    {
        var train = AutoencoderTestData.Threes();
        var model = AutoencoderModel.Create(AutoencoderTestData.Dense(AutoencoderKind.Vae, 3));
        new Trainer(model).Train(train, 0, 2);
        var scorer = new GenerativeScores(model);
        var cal = ConformalCalibration.Of(scorer, train.Slice(0, 10), 0.3, 1);
        var test = AutoencoderTestData.Fives();
        var all = scorer.Score(test);
        foreach (string score in new[] { "combined", "density-x", "recon" })
        {
            var explained = new Explainer(scorer, new ExplainerOptions { Score = score, Calibration = cal, Reference = train }).Explain(test);
            for (int i = 0; i < test.Count; i++)
            {
                var e = explained[i];
                Assert.Equal(all[score][i], e.Value, 6);
                Assert.Equal(e.Value, e.Terms.Sum(t => t.Value), 6);
                Assert.Equal(cal[score].PValue(e.Value), e.PValue);
                Assert.Equal(e.PValue <= ExplainerOptions.DefaultAlpha, e.Novel);
                Assert.StartsWith(e.Novel == true ? "novel, p = " : "normal, p = ", e.Summary, StringComparison.Ordinal);
                Assert.Equal(3, e.Deviations.Count);
                Assert.True(Math.Abs(e.Deviations[0].Z) >= Math.Abs(e.Deviations[2].Z));
            }
            Assert.Equal(score == "recon" ? 1 : 2, explained[0].Terms.Count);
        }
    }

    [Fact]
    public void AModelThatCannotReconstructAskedForAResidualMapSaysWhichCan()
    {
        var train = AutoencoderTestData.Threes();
        var knn = new KnnEntry().Fit(train, [new FitItem(new KnnEntry().Defaults(null, train.Shape))], FitContext.None)[0];
        var e = Assert.Throws<ArgumentException>(() => new Explainer(knn, new ExplainerOptions { RequireResidual = true }));
        Assert.Contains("cannot reconstruct", e.Message, StringComparison.Ordinal);
        Assert.Contains("pca", e.Message, StringComparison.Ordinal);
        Assert.Contains("vae", e.Message, StringComparison.Ordinal);
        // without the map it still explains the score
        var plain = new Explainer(knn).Explain(AutoencoderTestData.Fives());
        Assert.Null(plain[0].Residual);
        Assert.Contains("no p-value", plain[0].Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void BadRequestsAreOneLineErrors()
    {
        var train = Gray(AutoencoderTestData.Threes());
        var pca = new PcaGaussian(PcaBasis.Fit(train, 4), 4);
        var noCal = Assert.Throws<ArgumentException>(() => new Explainer(pca, new ExplainerOptions { Alpha = 0.05 }));
        Assert.Contains("--calibration", noCal.Message, StringComparison.Ordinal);
        var badScore = Assert.Throws<ArgumentException>(() => new Explainer(pca, new ExplainerOptions { Score = "elbo" }));
        Assert.Contains("has no score 'elbo'; its scores are latent-nll, recon, ppca", badScore.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new Explainer(pca, new ExplainerOptions { Neighbours = 0 }));
        var cal = ConformalCalibration.Of(pca, train.Slice(0, 5), 0.2, 1);
        Assert.Throws<ArgumentException>(() => new Explainer(pca, new ExplainerOptions { Calibration = cal, Alpha = 1.5 }));
        var wrongSize = Assert.Throws<ArgumentException>(() => new Explainer(pca).Explain(new Samples(new float[20 * 20], 1, ImageShape.Gray(20, 20))));
        Assert.Contains("784", wrongSize.Message, StringComparison.Ordinal);
    }
}

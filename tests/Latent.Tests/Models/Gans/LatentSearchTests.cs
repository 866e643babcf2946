// Latent search (AnoGAN): on an image decoded from a known code z*, more steps never raise the reconstruction error,
// the search drives it to (near) zero and recovers z*; the scores of a GAN come from it (recon is the squared error at
// the code found); a GAN whose search is off has no encoder scores, and asking for one names the scores it has.
using Latent.Models;
using Latent.Models.Gans;
using Latent.Models.Scores;
using Latent.Tensors;

namespace Latent.Tests.Models.Gans;

public class LatentSearchTests
{
    private static (GanModel G, Tensor X, float[] ZStar) DecodedImage()
    {
        var g = new GanModel(GanTestData.Tiny(GanKind.Gan, latent: 3));
        g.Eval();
        float[] zStar = [0.5f, -0.8f, 0.3f];
        Tensor x;
        using (GradMode.Disable()) x = g.Mean(g.Decode(Tensor.FromSpan(zStar, 1, 3)));   // (1, 1, 28, 28)
        return (g, x, zStar);
    }

    [Fact]
    public void MoreStepsNeverRaiseTheErrorAndTheSearchRecoversAKnownCode()
    {
        var (g, x, zStar) = DecodedImage();
        double previous = double.PositiveInfinity, first = 0;
        Tensor z = null!;
        foreach (int steps in new[] { 0, 10, 50, 200, 600 })
        {
            var search = new LatentSearch(g, new LatentSearchOptions { Steps = steps, Restarts = 1, LearningRate = 0.05f });
            (z, double[] objective) = search.Search(x);
            if (steps == 0) first = objective[0];
            Assert.True(objective[0] <= previous, $"{steps} steps: error {objective[0]} above {previous} with fewer steps");
            previous = objective[0];
        }
        Assert.True(first > 0.1, $"the starting code already reconstructs the image (error {first}); the test needs a distant start");
        Assert.True(previous < 1e-4 * first, $"the search left error {previous} of {first}");
        for (int j = 0; j < 3; j++) Assert.True(Math.Abs(z.Data[j] - zStar[j]) < 0.02, $"z[{j}] = {z.Data[j]}, not {zStar[j]}");
    }

    [Fact]
    public void TheReconScoreIsTheErrorAtTheCodeFound()
    {
        var (g, x, _) = DecodedImage();
        var scores = new GenerativeScores(g);
        Assert.Contains("latent search", scores.Scores.Single(s => s.Name == "recon").Formula, StringComparison.Ordinal);
        var r = scores.Score(new Samples(x.ToArray(), 1, ImageShape.Gray(28, 28)));
        var (z, objective) = new LatentSearch(g, g.Options.Search).Search(x);
        Assert.Equal(objective[0], r["recon"][0], 5);
        double zz = z.Data.ToArray().Sum(v => (double)v * v);
        Assert.Equal(0.5 * zz + 1.5 * Math.Log(2 * Math.PI), r["latent-nll"][0], 5);
        Assert.True(r["discriminator"][0] > 0);
    }

    [Fact]
    public void AGanWithoutSearchNamesTheScoresItHas()
    {
        var o = GanTestData.Tiny(GanKind.Gan) with { Search = new LatentSearchOptions { Restarts = 0 } };
        var g = new GanModel(o);
        Assert.Equal(["discriminator"], GenerativeScores.Available(g).Select(s => s.Name));
        var e = Assert.Throws<ArgumentException>(() => new GenerativeScores(g, ["recon"]));
        Assert.Equal("model 'gan' has no score 'recon'; its scores are discriminator", e.Message.TrimEnd('.'));
    }

    [Fact]
    public void TheFeatureTermUsesTheDiscriminatorsFeatures()
    {
        var (g, x, _) = DecodedImage();
        var pixels = new LatentSearch(g, new LatentSearchOptions { Steps = 0, Restarts = 1 }).Search(x).Objective[0];
        var both = new LatentSearch(g, new LatentSearchOptions { Steps = 0, Restarts = 1, FeatureWeight = 2f }).Search(x).Objective[0];
        Tensor start = g.SamplePrior(1, new Rng(0x9E3779B9UL));
        double f;
        using (GradMode.Disable())
        {
            Tensor d = g.Features(g.Mean(g.Decode(start))) - g.Features(x);
            f = d.Data.ToArray().Sum(v => (double)v * v);
        }
        Assert.True(f > 0);
        Assert.Equal(pixels + 2 * f, both, 3);
    }
}

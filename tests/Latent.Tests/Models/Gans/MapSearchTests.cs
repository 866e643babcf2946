// The latent search's prior term (LatentSearchOptions.PriorWeight, a MAP search): the objective grows by exactly
// beta ||z||^2 at the starting code, a prior weight pulls the code found towards the origin (and raises the pixel
// error it leaves, which recon still measures alone), older options load without it, bad values are clear errors.
using Latent.Models;
using Latent.Models.Gans;
using Latent.Models.Scores;
using Latent.Tensors;

namespace Latent.Tests.Models.Gans;

public class MapSearchTests
{
    private static (GanModel G, Tensor X) DecodedImage()
    {
        var g = new GanModel(GanTestData.Tiny(GanKind.Gan, latent: 3));
        g.Eval();
        Tensor x;
        using (GradMode.Disable()) x = g.Mean(g.Decode(Tensor.FromSpan([1.5f, -1.8f, 1.2f], 1, 3)));   // (1, 1, 28, 28)
        return (g, x);
    }

    private static double SquaredNorm(Tensor z) => z.Data.ToArray().Sum(v => (double)v * v);

    [Fact]
    public void ThePriorTermAddsBetaTimesTheSquaredCode()
    {
        var (g, x) = DecodedImage();
        double pixels = new LatentSearch(g, new LatentSearchOptions { Steps = 0, Restarts = 1 }).Search(x).Objective[0];
        double map = new LatentSearch(g, new LatentSearchOptions { Steps = 0, Restarts = 1, PriorWeight = 0.7f }).Search(x).Objective[0];
        Tensor start = g.SamplePrior(1, new Rng(0x9E3779B9UL));                          // restart 0's code, seed 0
        Assert.True(SquaredNorm(start) > 0.1);
        Assert.Equal(pixels + 0.7 * SquaredNorm(start), map, 4);
    }

    [Fact]
    public void APriorWeightPullsTheCodeToTheOriginAndReconStaysThePixelError()
    {
        var (g, x) = DecodedImage();
        var free = new LatentSearch(g, new LatentSearchOptions { Steps = 400, Restarts = 1, LearningRate = 0.05f }).Search(x);
        var map = new LatentSearch(g, new LatentSearchOptions { Steps = 400, Restarts = 1, LearningRate = 0.05f, PriorWeight = 1f }).Search(x);
        Assert.True(SquaredNorm(map.Codes) < 0.8 * SquaredNorm(free.Codes), $"|z|^2 {SquaredNorm(map.Codes)} with the prior term, {SquaredNorm(free.Codes)} without");
        var mapModel = new GanModel(g.Options with { Search = new LatentSearchOptions { Steps = 400, Restarts = 1, LearningRate = 0.05f, PriorWeight = 1f } });
        mapModel.Eval();                                                                  // the same weights (same seed)
        double recon = new GenerativeScores(mapModel, ["recon"]).Score(new Samples(x.ToArray(), 1, ImageShape.Gray(28, 28)))["recon"][0];
        double pixels;
        using (GradMode.Disable()) pixels = (g.Mean(g.Decode(map.Codes)) - x).Square().Sum().Item();
        Assert.Equal(pixels, recon, 3);                                                   // the prior term is not in recon
        Assert.True(recon > free.Objective[0], $"recon {recon} at the MAP code, {free.Objective[0]} at the free one");
        Assert.Equal(recon + SquaredNorm(map.Codes), map.Objective[0], 3);
    }

    [Fact]
    public void OptionsWithoutItSearchAsBefore()
    {
        var entry = ModelRegistry.Get("gan");
        var written = GanTestData.Tiny(GanKind.Gan) with { Search = new LatentSearchOptions { PriorWeight = 0.5f } };
        string json = entry.WriteOptions(written);
        Assert.Contains("\"PriorWeight\"", json, StringComparison.Ordinal);
        json = System.Text.RegularExpressions.Regex.Replace(json, "\"PriorWeight\":[^,}]*,?", "");
        var o = Assert.IsType<GanOptions>(entry.ReadOptions(json, "old.safetensors"));
        Assert.Equal(0f, o.Search.PriorWeight);
        Assert.Equal("2 restarts x 100 Adam steps, lr 0.05, prior weight 0.5", written.Search.ToString());
    }

    [Theory]
    [InlineData(-1f, "latent search prior weight -1 must be a finite number >= 0.")]
    [InlineData(float.NaN, "latent search prior weight NaN must be a finite number >= 0.")]
    public void BadValuesAreClearErrors(float beta, string message)
    {
        var e = Assert.Throws<ArgumentException>(new LatentSearchOptions { PriorWeight = beta }.Validate);
        Assert.Equal(message, e.Message);
    }
}

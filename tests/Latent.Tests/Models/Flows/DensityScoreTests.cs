// The density scores of any IDensity model: nll in bits per dimension, likelihood-ratio = nll - background nll,
// typicality = |nll - mean training nll|, complexity = nll - PNG length per dimension, checked against a model whose
// densities are known; the PNG length is smaller for a flat image than for noise.
using Latent.Models;
using Latent.Models.Flows;
using Latent.Models.Scores;
using Latent.Tensors;

namespace Latent.Tests.Models.Flows;

public class DensityScoreTests
{
    private sealed class Known(double mean) : IDensity, IBackgroundDensity, ITypicalDensity
    {
        public IDensity? Background => new Constant(100);
        public double MeanTrainingNll => mean;
        public Tensor NegativeLogLikelihood(Tensor x) => Tensor.FromSpan(Enumerable.Range(0, x.Dim(0)).Select(i => 200f + 10 * i).ToArray(), x.Dim(0));
    }

    private sealed class Constant(float v) : IDensity
    {
        public Tensor NegativeLogLikelihood(Tensor x) => Tensor.Full(v, x.Dim(0));
    }

    [Fact]
    public void TheScoresFollowTheirFormulas()
    {
        var s = new ImageShape(1, 4, 4);
        var images = FlowTestData.RandomImages(3, s, 2);
        var x = Tensor.FromSpan(images.X, 3, 1, 4, 4);
        string[] names = ["nll", "likelihood-ratio", "typicality", "complexity"];
        var r = names.ToDictionary(n => n, _ => new double[3]);
        DensityScores.ScoreBatch(new Known(215), x, 0, r, names.ToHashSet());
        double bits = 16 * Math.Log(2);
        for (int i = 0; i < 3; i++)
        {
            double nll = 200 + 10 * i;
            Assert.Equal(nll / bits, r["nll"][i], 9);
            Assert.Equal((nll - 100) / bits, r["likelihood-ratio"][i], 9);
            Assert.Equal(Math.Abs(nll - 215) / bits, r["typicality"][i], 9);
            long png = ImageComplexity.Bits(EightBitImages.Levels(images.Row(i), 16), 4);
            Assert.Equal((nll / Math.Log(2) - png) / 16, r["complexity"][i], 9);
        }
    }

    [Fact]
    public void AFlatImageCompressesBetterThanNoise()
    {
        var flat = new byte[784];
        var noise = new byte[784];
        var rng = new Rng(7);
        for (int i = 0; i < noise.Length; i++) noise[i] = (byte)rng.NextInt(256);
        long a = ImageComplexity.Bits(flat, 28), b = ImageComplexity.Bits(noise, 28);
        Assert.True(a < 200 && b > 784 * 8 * 0.95, $"flat {a} bits, noise {b} bits");
    }

    [Fact]
    public void AFlowListsTheFourScoresAndWithoutABackgroundNoLikelihoodRatio()
    {
        var s = new ImageShape(1, 4, 4);
        var entry = new FlowEntry(FlowKind.Maf, "");
        Assert.Equal(["nll", "likelihood-ratio", "typicality", "complexity"], entry.Scores(FlowTestData.Tiny(FlowKind.Maf, s)).Select(i => i.Name));
        Assert.Equal(["nll", "typicality", "complexity"], entry.Scores(FlowTestData.Tiny(FlowKind.Maf, s, mutation: 0f)).Select(i => i.Name));
    }
}

// InfoGAN's reconstruction: Q gives the codes (a one-hot category and continuous means in [-1, 1]), which the code of
// Encode(x) carries unchanged after the noise variables, and the latent search over the noise alone brings G's image
// closer to x than the prior's mode (noise 0) with the same codes.
using Latent.Models.Gans;
using Latent.Models.Scores;
using Latent.Tensors;

namespace Latent.Tests.Models.Gans;

public class InfoganEncodeTests
{
    [Fact]
    public void TheCodesComeFromQAndTheNoiseFromTheSearch()
    {
        var o = GanTestData.Tiny(GanKind.Infogan, latent: 3) with { Search = new LatentSearchOptions { Steps = 60, Restarts = 1, LearningRate = 0.05f } };
        var m = new InfoganModel(o);
        m.Eval();
        Tensor x;
        using (GradMode.Disable()) x = m.Mean(m.Decode(m.SamplePrior(4, new Rng(2))));   // (4, 1, 28, 28)
        Tensor codes = m.Codes(x), z = m.Encode(x);                                       // (4, 12), (4, 15)
        for (int i = 0; i < 4; i++)
        {
            Assert.Equal(1f, codes.Data.Slice(i * 12, 10).ToArray().Sum());              // one-hot category
            Assert.True(codes.Data.Slice(i * 12, 12).ToArray().All(v => v >= -1f && v <= 1f));
            Assert.True(z.Data.Slice(i * 15 + 3, 12).SequenceEqual(codes.Data.Slice(i * 12, 12)), $"sample {i}: the codes changed");
        }
        Tensor zero = Tensor.Concat(1, new Tensor(4, 3), codes);
        using (GradMode.Disable())
        {
            double Error(Tensor c) => (m.Mean(m.Decode(c)) - x).Square().Sum().Item();
            Assert.True(Error(z) < 0.5 * Error(zero), $"searched {Error(z)} vs noise 0 {Error(zero)}");
        }
    }

    [Fact]
    public void LatentNllIsTheMixedPriors()
    {
        var m = new InfoganModel(GanTestData.Tiny(GanKind.Infogan, latent: 2));       // Z 2, K 10, C 2
        float[] c = [0.5f, -1f, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0.3f, -0.9f];
        Assert.Equal(0.5 * 1.25 + Math.Log(2 * Math.PI) + Math.Log(10) + 2 * Math.Log(2), m.PriorNll(c), 10);
    }
}

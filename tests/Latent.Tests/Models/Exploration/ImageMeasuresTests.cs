// Noise is seeded and repeatable, PSNR and the Frechet distance give their analytic values.
using Latent.Models.Exploration;
using Latent.Tensors;

namespace Latent.Tests.Models.Exploration;

public class ImageMeasuresTests
{
    private static float[] Images(int n)
    {
        var x = new float[n];
        new Rng(3).Uniform(x, 0f, 1f);
        return x;
    }

    [Theory]
    [InlineData(NoiseType.Gaussian, 0.5)]
    [InlineData(NoiseType.SaltPepper, 0.2)]
    public void NoiseIsSeededRepeatableAndStaysInRange(NoiseType type, double level)
    {
        var x = Images(5000);
        var a = ImageNoise.Apply(x, type, level, 7);
        var b = ImageNoise.Apply(x, type, level, 7);
        var c = ImageNoise.Apply(x, type, level, 8);
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        Assert.All(a, v => Assert.InRange(v, 0f, 1f));
        Assert.Equal(x, ImageNoise.Apply(x, type, 0, 7));
        if (type == NoiseType.SaltPepper)
        {
            double changed = a.Where((v, i) => v != x[i]).Count() / (double)x.Length;
            Assert.InRange(changed, 0.17, 0.23);
            Assert.All(a.Where((v, i) => v != x[i]), v => Assert.True(v is 0f or 1f));
        }
    }

    [Fact]
    public void BadNoiseLevelsAreErrors()
    {
        Assert.Throws<ArgumentException>(() => ImageNoise.Apply([0.5f], NoiseType.Gaussian, double.NaN, 1));
        Assert.Throws<ArgumentException>(() => ImageNoise.Apply([0.5f], NoiseType.Gaussian, -0.1, 1));
        Assert.Throws<ArgumentException>(() => ImageNoise.Apply([0.5f], NoiseType.SaltPepper, 1.5, 1));
    }

    [Fact]
    public void PsnrIsTenLogOfOneOverTheMeanSquaredError()
    {
        float[] clean = [0, 0.5f, 1, 0.25f];
        float[] off = [0.1f, 0.4f, 0.9f, 0.35f];   // every error 0.1: MSE 0.01, 20 dB
        Assert.Equal(20, Psnr.Of(clean, off), 1e-5);
        Assert.Equal(double.PositiveInfinity, Psnr.Of(clean, clean));
        Assert.Throws<ArgumentException>(() => Psnr.Of(clean, [0f]));
    }

    [Fact]
    public void FrechetDistanceOfDiagonalGaussiansIsAnalytic()
    {
        // ||mu1 - mu2||^2 + sum (sqrt(a_i) - sqrt(b_i))^2 = (1 + 4) + ((2 - 1)^2 + (3 - 1)^2) = 10
        double d = FrechetDistance.Between([1, 2], [4, 0, 0, 9], [0, 0], [1, 0, 0, 1], 2);
        Assert.Equal(10, d, 1e-9);
        // Equal covariances (any SPD matrix): only the means count.
        double[] s = [2, 0.5, 0.1, 0.5, 1, 0.2, 0.1, 0.2, 3];
        Assert.Equal(0.5 * 0.5 + 1, FrechetDistance.Between([0.5, 0, 1], s, [0, 0, 0], s, 3), 1e-8);
    }

    [Fact]
    public void FrechetDistanceOfASetWithItselfIsZeroAndGrowsWithAShift()
    {
        var rng = new Rng(5);
        var a = new float[400 * 4];
        rng.Normal(a);
        Assert.Equal(0, FrechetDistance.Between(a, 400, a, 400, 4), 1e-6);
        var b = a.Select((v, i) => i % 4 == 0 ? v + 2 : v).ToArray();
        Assert.Equal(4, FrechetDistance.Between(a, 400, b, 400, 4), 1e-6);
    }
}

// The mean training nll of the typicality score: the mean of the density over the first StatisticsSamples images
// (all of them when fewer), the model's training mode restored; no images or images of another size are errors.
using Latent.Models;
using Latent.Models.Scores;
using Latent.Nn;
using Latent.Tensors;

namespace Latent.Tests.Models.Scores;

public class TrainingNllTests
{
    /// <summary>nll(x) = the sum of the image's values, and a record of the mode it was called in.</summary>
    private sealed class SumDensity : Module, IDensity
    {
        public bool SawTraining { get; private set; }
        public override Tensor Forward(Tensor input) => input;
        public Tensor NegativeLogLikelihood(Tensor x)
        {
            SawTraining |= IsTraining;
            int n = x.Dim(0), d = x.RowLength;
            var r = new Tensor(n);
            for (int i = 0; i < n; i++)
                for (int j = 0; j < d; j++) r.Data[i] += x.Data[i * d + j];
            return r;
        }
    }

    [Theory]
    [InlineData(5)]
    [InlineData(TrainingNll.StatisticsSamples + 300)]
    public void TheMeanIsOverTheFirstStatisticsSamplesImages(int count)
    {
        var shape = new ImageShape(1, 2, 2);
        var x = new float[count * 4];
        for (int i = 0; i < count; i++) x[i * 4] = i;                          // image i sums to i
        var density = new SumDensity();
        double mean = TrainingNll.Mean(density, density, new Samples(x, count, shape), shape);
        int m = Math.Min(count, TrainingNll.StatisticsSamples);
        Assert.Equal((m - 1) / 2.0, mean, 9);
        Assert.False(density.SawTraining);
        Assert.True(density.IsTraining);
    }

    [Fact]
    public void NoImagesOrTheWrongSizeAreErrors()
    {
        var density = new SumDensity();
        var shape = new ImageShape(1, 2, 2);
        Assert.Contains("at least one", Assert.Throws<ArgumentException>(() => TrainingNll.Mean(density, density, new Samples([], 0, shape), shape)).Message, StringComparison.Ordinal);
        Assert.Contains("got 9 values", Assert.Throws<ArgumentException>(() => TrainingNll.Mean(density, density, new Samples(new float[9], 1, ImageShape.Gray(3, 3)), shape)).Message, StringComparison.Ordinal);
    }
}

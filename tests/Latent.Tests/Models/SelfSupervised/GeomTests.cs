// GEOM (Golan and El-Yaniv 2018): its transformations are a group action on square images (each invertible, all
// distinct, the identity first, the 8 turns and flips closed under composition); a tiny training run learns to tell
// them apart; the score is higher for an image whose transformations cannot be told apart (a constant image:
// -sum_t log p_t >= T ln T for any classifier) than for the class it learnt; bad options are clear errors.
using Latent.Models;
using Latent.Models.Scores;
using Latent.Models.SelfSupervised;
using Latent.Models.Training;
using Latent.Tensors;

namespace Latent.Tests.Models.SelfSupervised;

public class GeomTests
{
    private static float[] Random(int n, int seed)
    {
        var rng = new System.Random(seed);
        return Enumerable.Range(0, n).Select(_ => (float)rng.NextDouble()).ToArray();
    }

    [Theory]
    [InlineData(0, 8)]
    [InlineData(2, 72)]
    public void TheTransformationsAreInvertibleDistinctAndStartWithTheIdentity(int shift, int count)
    {
        const int C = 2, H = 6;
        var x = Random(C * H * H, 5);
        Assert.Equal(count, GeometricTransforms.Count(shift));
        var images = new List<float[]>();
        for (int t = 0; t < count; t++)
        {
            var y = new float[x.Length];
            var back = new float[x.Length];
            GeometricTransforms.Apply(x, C, H, H, t, shift, y);
            GeometricTransforms.Invert(y, C, H, H, t, shift, back);
            Assert.Equal(x, back);
            Assert.DoesNotContain(images, z => z.SequenceEqual(y));
            images.Add(y);
        }
        Assert.Equal(x, images[0]);
    }

    [Fact]
    public void TheTurnsAndFlipsAreClosedUnderComposition()
    {
        var x = Random(5 * 5, 9);
        var set = Enumerable.Range(0, 8).Select(t =>
        {
            var y = new float[25];
            GeometricTransforms.Apply(x, 1, 5, 5, t, 0, y);
            return y;
        }).ToList();
        foreach (var y in set)
            for (int t = 0; t < 8; t++)
            {
                var z = new float[25];
                GeometricTransforms.Apply(y, 1, 5, 5, t, 0, z);
                Assert.Contains(set, s => s.SequenceEqual(z));
            }
    }

    [Fact]
    public void ATinyRunLearnsTheTransformationsAndScoresAConstantImageAboveTheClass()
    {
        var train = Images(Autoencoders.AutoencoderTestData.Threes());
        var options = GeomOptions.For(train.Shape) with { Hidden = 8, Training = new TrainingOptions { Epochs = 12, BatchSize = 16, Seed = 3, LearningRate = 3e-3f } };
        var model = new GeomModel(options);
        var log = new List<EpochResult>();
        new Trainer(model) { EpochDone = log.Add }.Train(train, 0, options.Training.Epochs);
        var first = log[0].Terms;
        var last = log[^1].Terms;
        Assert.True(last[0] < 0.5 * Math.Log(8), $"cross-entropy {last[0]} did not fall below half of ln 8 (first epoch {first[0]})");
        Assert.True(last[1] > 0.8, $"accuracy {last[1]} after {options.Training.Epochs} epochs");

        var scores = new GenerativeScores(model);
        Assert.Equal(["geom"], scores.Scores.Select(s => s.Name));
        double own = scores.Score(train)["geom"].Average();
        var constant = new Samples(Enumerable.Repeat(0.5f, 2 * 784).ToArray(), 2, ImageShape.Gray(28, 28));
        double flat = scores.Score(constant)["geom"].Min();
        Assert.True(flat >= 8 * Math.Log(8) - 1e-3, $"a constant image scored {flat}, below T ln T");
        Assert.True(own < flat, $"the class scored {own}, not below the constant image's {flat}");
    }

    /// <summary>The committed subset's flat rows as 28 x 28 images (the turns need the geometry).</summary>
    internal static Samples Images(Samples flat) => new(flat.X, flat.Count, ImageShape.Gray(28, 28));

    [Fact]
    public void BadOptionsAreClearErrors()
    {
        Assert.Contains("square", Assert.Throws<ArgumentException>(() => new GeomModel(GeomOptions.For(ImageShape.Gray(28, 20)))).Message, StringComparison.Ordinal);
        Assert.Contains("shift", Assert.Throws<ArgumentException>(() => (GeomOptions.For(ImageShape.Gray(8, 8)) with { Shift = 8 }).Validate()).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => GeometricTransforms.Apply(new float[4], 1, 2, 2, 8, 0, new float[4]));
        var model = new GeomModel(GeomOptions.For(ImageShape.Gray(8, 8)) with { Hidden = 2 });
        Assert.Throws<ArgumentException>(() => model.TransformationNll(new Tensor(1, 1, 4, 4)));
    }
}

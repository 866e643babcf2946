// Image geometry end to end: a 3-channel 32 x 32 set goes through PCA, kNN and the convolutional AE and VAE (fit,
// score, reconstruct, save, load), and the networks take the channel count from the data; nothing assumes 28 x 28.
using Latent.Models;
using Latent.Models.Autoencoders;
using Latent.Models.Scores;
using Latent.Models.Training;
using Latent.Tensors;

namespace Latent.Tests.Models.Registry;

public class GeometryTests
{
    private static readonly ImageShape Rgb32 = new(3, 32, 32);

    /// <summary>Colour blobs: class 0 red discs, class 1 blue squares, at random places and sizes.</summary>
    private static Samples Blobs(int count, int kind, ulong seed)
    {
        var rng = new Rng(seed);
        var x = new float[count * Rgb32.Dim];
        for (int n = 0; n < count; n++)
        {
            int cy = 8 + (int)(rng.NextFloat() * 16), cx = 8 + (int)(rng.NextFloat() * 16), r = 4 + (int)(rng.NextFloat() * 4);
            for (int y = 0; y < 32; y++)
                for (int xx = 0; xx < 32; xx++)
                {
                    bool inside = kind == 0 ? (y - cy) * (y - cy) + (xx - cx) * (xx - cx) <= r * r : Math.Abs(y - cy) <= r && Math.Abs(xx - cx) <= r;
                    if (!inside) continue;
                    int c = kind == 0 ? 0 : 2;
                    x[n * Rgb32.Dim + c * 1024 + y * 32 + xx] = 0.9f;
                    x[n * Rgb32.Dim + 1 * 1024 + y * 32 + xx] = 0.3f;
                }
        }
        return new Samples(x, count, Rgb32);
    }

    [Theory]
    [InlineData("pca")]
    [InlineData("knn")]
    [InlineData("ae")]
    [InlineData("vae")]
    public void ThreeChannel32x32ImagesGoThroughEveryStage(string name)
    {
        var entry = ModelRegistry.Get(name);
        var train = Blobs(64, 0, 1);
        var real = Blobs(20, 0, 2);
        var fake = Blobs(20, 1, 3);
        int? latent = entry.HasLatent ? 4 : null;
        var options = entry.Adapt(entry.Defaults(latent, train.Shape), latent, train.Shape);
        if (options is AutoencoderOptions a)
        {
            Assert.Equal(3, a.Network.Channels);
            options = a with { Training = a.Training with { Epochs = 3, BatchSize = 16 } };
        }
        var model = Assert.Single(entry.Fit(train, [new FitItem(options)], FitContext.None));
        var sr = model.Score(real);
        var sf = model.Score(fake);
        string main = model.Scores[0].Name == "latent-nll" ? "recon" : model.Scores[0].Name;
        Assert.True(sr[main].Average() < sf[main].Average(), $"{name}: {main} real {sr[main].Average()} fake {sf[main].Average()}");
        if (model is IReconstructor rec)
        {
            Assert.Equal(real.X.Length, rec.Reconstruct(real).Length);
            Assert.Equal(real.Count * latent!.Value, rec.Encode(real).Length);
        }
        if (model is GenerativeScores g)
        {
            float[] samples = PriorSampling.Sample(g.Model, 5, seed: 1);
            Assert.Equal(5 * Rgb32.Dim, samples.Length);
        }
        using var dir = new TempDir();
        string path = dir.File("m.safetensors");
        ModelFile.Save(path, entry, model, 1);
        var loaded = ModelFile.Load(path);
        Assert.Equal(Rgb32, loaded.Options.InputShape);
        Assert.Equal(sr[main], loaded.Model.Score(real)[main]);
    }

    [Fact]
    public void AugmentationWarpsEveryChannelWithTheSameMap()
    {
        var x = Blobs(2, 0, 5);
        var t = Tensor.FromSpan(x.X, 2, 3, 32, 32);
        var y = Augmentation.Affine.Apply(t, new Rng(3));
        Assert.Equal(t.ShapeArray(), y.ShapeArray());
        // channels 0 and 1 of a red disc hold 0.9 and 0.3 on the same pixels: the warp keeps their ratio
        for (int i = 0; i < 1024; i++)
            Assert.Equal(y.Data[i] / 3f, y.Data[1024 + i], 4);
    }
}

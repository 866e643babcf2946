// The GAN family's dense layout (GanNetwork.Dense, Keras-GAN's MNIST networks, the seed study's BiGAN): the layers and
// their sizes, the joint discriminator's [x | z] input and its three dropouts (drawn from the step's noise only, in
// training only: exactly 3 N J draws a pass), images of any size (the convolutions need H and W divisible by 4),
// Keras's batch-norm momentum (bit-identical resume: GanResumeTests), and options written before the layout existed loading as conv.
using Latent.Models;
using Latent.Models.Gans;
using Latent.Nn.Layers;
using Latent.Tensors;

namespace Latent.Tests.Models.Gans;

public class DenseGanTests
{
    private const int N = 5;

    private static GanOptions Dense(GanKind kind, int latent = 4) => GanTestData.Tiny(kind, latent) with { Network = GanNetwork.Dense };

    private static Tensor Batch() => GanTestData.Threes(N);

    /// <summary>Every module under <paramref name="m"/>, depth first, in registration order.</summary>
    private static IEnumerable<Latent.Nn.Module> All(Latent.Nn.Module m) => m.Children().SelectMany(c => All(c.Module).Prepend(c.Module));

    private static int[][] LinearShapes(Latent.Nn.Module m) => All(m).OfType<Linear>().Select(l => l.Weight.ShapeArray()).ToArray();

    [Fact]
    public void TheDenseBiganHasKerasGansLayers()
    {
        var o = Dense(GanKind.Bigan) with { JointWidth = 16, DiscriminatorDropout = 0.5f };   // G 8-4, E 4-8
        var m = new BiganModel(o);
        Assert.Equal([[8, 4], [4, 8], [784, 4]], LinearShapes(m.Generator));                   // (out, in): z -> 8 -> 4 -> 784
        Assert.Equal([[4, 784], [8, 4]], LinearShapes(m.EncoderTrunk));                        // x -> 4 -> 8, then the head 8 -> Z
        Assert.Equal([4, 8], m.EncoderHead.Weight.ShapeArray());
        Assert.Equal([[16, 788], [16, 16], [16, 16], [1, 16]], LinearShapes(m.Discriminator)); // [x | z] -> 16 -> 16 -> 16 -> 1
        Assert.Equal(2, All(m.EncoderTrunk).OfType<BatchNorm1d>().Count());
        Assert.Empty(All(m.Discriminator).OfType<BatchNorm1d>());
        Assert.All(All(m.Generator).OfType<BatchNorm1d>().Concat(All(m.EncoderTrunk).OfType<BatchNorm1d>()),
            bn => Assert.Equal((0.2f, 1e-3f), (bn.Momentum, bn.Eps)));                       // Keras BatchNormalization(momentum=0.8)
        using var _ = GradMode.Disable();
        m.Eval();
        Tensor x = Batch(), z = m.Encode(x), g = m.Decode(z);
        Assert.Equal([N, 4], z.ShapeArray());
        Assert.Equal([N, 1, 28, 28], g.ShapeArray());
        Assert.All(g.ToArray(), v => Assert.InRange(v, -1f, 1f));
    }

    [Fact]
    public void TheDenseJointDiscriminatorDropsOutAfterEachHiddenLayerOnlyInTraining()
    {
        const int j = 16;
        var m = new BiganModel(Dense(GanKind.Bigan) with { JointWidth = j, DiscriminatorDropout = 0.5f });
        Tensor x = Batch() * 2f - 1f, z = new Rng(3).NormalTensor(N, 4);
        using var _ = GradMode.Disable();
        m.Train();
        Rng used = new(8), counted = new(8);
        float[] dropped = m.Discriminator.Logit(x, z, used).ToArray();
        for (int i = 0; i < 3 * N * j; i++) counted.NextFloat();                                // one draw per hidden unit of the 3 layers
        Assert.Equal(counted.NextFloat(), used.NextFloat());
        Assert.Equal(dropped, m.Discriminator.Logit(x, z, new Rng(8)).ToArray());               // masks from the noise
        Assert.NotEqual(dropped, m.Discriminator.Logit(x, z).ToArray());                       // no noise: no dropout
        m.Eval();
        Assert.Equal(m.Discriminator.Logit(x, z).ToArray(), m.Discriminator.Logit(x, z, new Rng(8)).ToArray());
    }

    [Fact]
    public void TheDenseLayoutTakesImagesOfAnySizeTheConvolutionsRefuse()
    {
        var shape = ImageShape.Gray(30, 30);
        var dense = Dense(GanKind.Gan) with { Height = 30, Width = 30 };
        dense.Validate();
        var m = new GanModel(dense);
        m.Train();
        float[] terms = m.TrainStep(new Rng(1).NormalTensor(N, 1, 30, 30) * 0.1f + 0.5f, new Rng(2));
        Assert.All(terms, t => Assert.True(float.IsFinite(t)));
        using (GradMode.Disable()) Assert.Equal([2, 1, 30, 30], m.Decode(m.SamplePrior(2, new Rng(4))).ShapeArray());
        var e = Assert.Throws<ArgumentException>(() => (dense with { Network = GanNetwork.Conv }).Validate());
        Assert.Contains($"not {shape}; --arch dense takes any size", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<ArgumentException>(() => (dense with { Height = 1024, Width = 1024 }).Validate());
        Assert.Contains($"images of 1 to {GanOptions.MaxDenseInputs} values", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ADenseInfoganTrainsItsQNetworkOnTheDenseFeatures()
    {
        var m = new InfoganModel(Dense(GanKind.Infogan));
        Assert.Equal(8, m.Discriminator.Trunk.Features);
        m.Train();
        float[] before = m.QHead.Parameters().First().ToArray();
        float[] terms = m.TrainStep(Batch(), new Rng(2));
        Assert.All(terms, t => Assert.True(float.IsFinite(t)));
        Assert.NotEqual(before, m.QHead.Parameters().First().ToArray());
    }

    [Fact]
    public void OptionsWrittenBeforeTheLayoutExistedLoadAsConv()
    {
        var entry = ModelRegistry.Get("gan");
        string json = entry.WriteOptions(Dense(GanKind.Gan));
        Assert.Contains("\"Network\":\"Dense\"", json, StringComparison.Ordinal);
        json = System.Text.RegularExpressions.Regex.Replace(json, "\"Network\":[^,}]*,?", "");
        var o = Assert.IsType<GanOptions>(entry.ReadOptions(json, "old.safetensors"));
        Assert.Equal(GanNetwork.Conv, o.Network);
        Assert.Contains(All(new GanModel(o).Discriminator), l => l is Conv2d);
    }
}

// The options against the BiGAN's saturating joint discriminator (issue 13): ALAD's dropout in D (DiscriminatorDropout)
// acts only in training and only with a step's noise (eval mode, and the features of ALAD's score, never drop), draws
// its masks from that noise (same noise, same logits), and leaves a resumed run bit-identical; D's own learning rate
// (DiscriminatorLearningRate) is the step size of D's first Adam step while the other phase keeps the run's; older
// options without the fields build the old models; bad values are clear errors.
using Latent.Models;
using Latent.Models.Gans;
using Latent.Models.Training;
using Latent.Tensors;
using Latent.Tests.Models.Autoencoders;

namespace Latent.Tests.Models.Gans;

public class BiganDiscriminatorOptionTests
{
    private const int N = 6;

    private static Tensor Batch() => GanTestData.Threes(N) * 2f - 1f;

    private static GanOptions Options(float dropout = 0f, float dLr = 0f) =>
        GanTestData.Tiny(GanKind.Bigan, latent: 4) with { DiscriminatorDropout = dropout, DiscriminatorLearningRate = dLr };

    [Fact]
    public void DropoutActsOnlyInTrainingWithAStepsNoise()
    {
        var dropping = new BiganModel(Options(dropout: 0.5f));
        var plain = new BiganModel(Options());                                           // the same weights (same seed)
        Tensor x = Batch(), z = new Rng(3).NormalTensor(N, 4);
        using var off = GradMode.Disable();
        foreach (var m in new[] { dropping, plain }) m.Eval();
        float[] reference = plain.Discriminator.Logit(x, z).ToArray();
        Assert.Equal(reference, dropping.Discriminator.Logit(x, z, new Rng(5)).ToArray());  // eval: no dropout
        foreach (var m in new[] { dropping, plain }) m.Train();
        float[] trained = plain.Discriminator.Logit(x, z).ToArray();
        Assert.Equal(trained, dropping.Discriminator.Logit(x, z).ToArray());             // no step noise: no dropout
        Assert.Equal(trained, plain.Discriminator.Logit(x, z, new Rng(5)).ToArray());    // p = 0: nothing dropped
        float[] a = dropping.Discriminator.Logit(x, z, new Rng(5)).ToArray();
        Assert.NotEqual(trained, a);
        Assert.Equal(a, dropping.Discriminator.Logit(x, z, new Rng(5)).ToArray());       // masks from the noise
        Assert.NotEqual(a, dropping.Discriminator.Logit(x, z, new Rng(6)).ToArray());
        Assert.Equal(dropping.Discriminator.Hidden(x, z).ToArray(), plain.Discriminator.Hidden(x, z).ToArray());
    }

    [Fact]
    public void NoDropoutDrawsNoNoise()
    {
        var m = new BiganModel(Options());
        m.Train();
        Rng used = new(8), fresh = new(8);
        using (GradMode.Disable()) m.Discriminator.Logit(Batch(), new Rng(3).NormalTensor(N, 4), used);
        Assert.Equal(fresh.NextFloat(), used.NextFloat());
    }

    [Fact]
    public void TheDiscriminatorsLearningRateIsItsFirstStepSize()
    {
        const float lr = 1e-3f, dLr = 1e-5f;
        var o = Options(dLr: dLr);
        var m = new BiganModel(o with { Training = o.Training with { LearningRate = lr } });
        static float[] Snapshot(IEnumerable<Tensor> ps) => ps.SelectMany(p => p.ToArray()).ToArray();
        float[] d0 = Snapshot(m.Discriminator.Parameters()), g0 = Snapshot(m.Generator.Parameters());
        m.Train();
        m.TrainStep(Batch() * 0.5f + 0.5f, new Rng(2));
        static float MaxChange(float[] a, float[] b) => a.Zip(b, (u, v) => Math.Abs(u - v)).Max();
        float d = MaxChange(d0, Snapshot(m.Discriminator.Parameters())), g = MaxChange(g0, Snapshot(m.Generator.Parameters()));
        Assert.InRange(d, 0.5f * dLr, 1.01f * dLr);                                       // Adam's first step: lr g / |g|
        Assert.InRange(g, 0.5f * lr, 1.01f * lr);
    }

    [Fact]
    public void ResumingWithDropoutAndADiscriminatorRateIsBitIdentical()
    {
        using var dir = new TempDir();
        var o = Options(dropout: 0.2f, dLr: 5e-5f);
        o = o with { Training = o.Training with { Epochs = 2, BatchSize = 10, Seed = 4 } };
        var data = AutoencoderTestData.Threes();
        var straight = new BiganModel(o);
        new Trainer(straight).Train(data, 0, 2);
        string path = dir.File("m.safetensors");
        new Trainer(new BiganModel(o)) { CheckpointPath = path }.Train(data, 0, 1);
        var (resumed, epoch) = ModelFile.LoadTrained(path);
        Assert.Equal(1, epoch);
        Assert.Equal((0.2f, 5e-5f), (((GanOptions)resumed.Options).DiscriminatorDropout, ((GanOptions)resumed.Options).DiscriminatorLearningRate));
        new Trainer(resumed).Train(data, 1, 2);
        ResumeAssert.SameCheckpoint(straight, resumed);
        var plain = new BiganModel(o with { DiscriminatorDropout = 0f });
        new Trainer(plain).Train(data, 0, 2);
        Assert.NotEqual(straight.Discriminator.Parameters().First().ToArray(), plain.Discriminator.Parameters().First().ToArray());
    }

    [Fact]
    public void OptionsWithoutTheNewFieldsBuildTheOldModels()
    {
        var entry = ModelRegistry.Get("bigan");
        string json = entry.WriteOptions(Options(dropout: 0.2f, dLr: 1e-4f));
        foreach (string field in new[] { "DiscriminatorDropout", "DiscriminatorLearningRate" })
        {
            Assert.Contains($"\"{field}\"", json, StringComparison.Ordinal);
            json = System.Text.RegularExpressions.Regex.Replace(json, $"\"{field}\":[^,}}]*,?", "");
        }
        var o = Assert.IsType<GanOptions>(entry.ReadOptions(json, "old.safetensors"));
        Assert.Equal((0f, 0f), (o.DiscriminatorDropout, o.DiscriminatorLearningRate));
        Assert.Equal(0f, new BiganModel(o).Discriminator.Dropout);
    }

    [Theory]
    [InlineData(GanKind.Bigan, 1f, 0f, "discriminator dropout 1 must be a probability in [0, 1)")]
    [InlineData(GanKind.Bigan, -0.1f, 0f, "discriminator dropout -0.1 must be a probability in [0, 1)")]
    [InlineData(GanKind.Gan, 0.2f, 0f, "discriminator dropout is for the bigan model's joint discriminator, not gan")]
    [InlineData(GanKind.Infogan, 0f, float.NaN, "discriminator learning rate NaN must be a finite number >= 0")]
    [InlineData(GanKind.Bigan, 0f, -1f, "discriminator learning rate -1 must be a finite number >= 0")]
    public void BadValuesAreClearErrors(GanKind kind, float dropout, float dLr, string message)
    {
        var o = GanTestData.Tiny(kind) with { DiscriminatorDropout = dropout, DiscriminatorLearningRate = dLr };
        var e = Assert.Throws<ArgumentException>(o.Validate);
        Assert.StartsWith(message, e.Message, StringComparison.Ordinal);
    }
}

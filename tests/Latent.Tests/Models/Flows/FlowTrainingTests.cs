// Training a flow: the loss falls; a resumed run is bit-identical to one run straight (both networks and both
// optimisers, batch norm's running statistics, the mean training nll); a NaN loss or a non-finite log-determinant
// stops training with a clear message and leaves the last good checkpoint as it was; samples are 8-bit images.
using Latent.Models;
using Latent.Models.Flows;
using Latent.Models.Training;

namespace Latent.Tests.Models.Flows;

public class FlowTrainingTests
{
    private static readonly ImageShape Shape = new(1, 4, 4);

    /// <summary>4 x 4 crops of the subset's training 3s (rows 12..15, columns 12..15), as 8-bit images.</summary>
    private static Samples Crops()
    {
        var s = Autoencoders.AutoencoderTestData.Threes();
        var x = new float[s.Count * 16];
        for (int n = 0; n < s.Count; n++)
            for (int i = 0; i < 4; i++)
                for (int j = 0; j < 4; j++) x[n * 16 + i * 4 + j] = s.X[n * 784 + (12 + i) * 28 + 12 + j];
        return new Samples(x, s.Count, Shape);
    }

    private static FlowModel Create(FlowKind kind, int epochs = 2, float lr = 1e-3f) =>
        (FlowModel)new FlowEntry(kind, "").Create(FlowTestData.Tiny(kind, Shape) with { Training = new TrainingOptions { BatchSize = 10, Seed = 1, Epochs = epochs, LearningRate = lr } });

    [Theory]
    [InlineData(FlowKind.Made)]
    [InlineData(FlowKind.Maf)]
    [InlineData(FlowKind.RealNvp)]
    public void ResumingIsBitIdenticalToTrainingStraight(FlowKind kind)
    {
        using var dir = new TempDir();
        var data = Crops();
        var straight = Create(kind);
        new Trainer(straight).Train(data, 0, 2);

        string path = dir.File("f.safetensors");
        new Trainer(Create(kind)) { CheckpointPath = path }.Train(data, 0, 1);
        var (resumed, epoch) = ModelFile.LoadTrained(path);
        Assert.Equal(1, epoch);
        new Trainer(resumed).Train(data, 1, 2);

        var a = ResumeAssert.SameCheckpoint(straight, resumed, kind);
        Assert.Contains(a, t => t.Name.StartsWith("background.", StringComparison.Ordinal));
        Assert.Contains(a, t => t.Name.StartsWith("optim.background.", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(FlowKind.Made)]
    [InlineData(FlowKind.RealNvp)]
    public void TheBackgroundL2ShrinksOnlyTheBackgroundsWeights(FlowKind kind)
    {
        // Ren et al.'s L2 penalty is Adam weight decay of the background's parameters: the foreground is trained
        // bit-identically (same draws, its own optimiser), the background's weights end smaller
        FlowModel Trained(float l2)
        {
            var m = (FlowModel)new FlowEntry(kind, "").Create(FlowTestData.Tiny(kind, Shape) with
            {
                BackgroundL2 = l2,
                Training = new TrainingOptions { BatchSize = 10, Seed = 1, Epochs = 3, LearningRate = 1e-2f },
            });
            new Trainer(m).Train(Crops(), 0, 3);
            return m;
        }
        static double Norm(Latent.Nn.Module m) => m.NamedParameters().Sum(p => p.Tensor.ToArray().Sum(v => (double)v * v));
        FlowModel plain = Trained(0f), penalised = Trained(0.5f);
        Assert.Equal(plain.Flow.NamedParameters().SelectMany(p => p.Tensor.ToArray()), penalised.Flow.NamedParameters().SelectMany(p => p.Tensor.ToArray()));
        Assert.True(Norm(penalised.BackgroundFlow!) < 0.9 * Norm(plain.BackgroundFlow!), $"{Norm(penalised.BackgroundFlow!)} vs {Norm(plain.BackgroundFlow!)}");
        Assert.Contains("L2 0.5", penalised.Options.Settings().Single(kv => kv.Key == "density").Value, StringComparison.Ordinal);
    }

    [Fact]
    public void ABackgroundL2NeedsABackgroundModel()
    {
        var o = FlowTestData.Tiny(FlowKind.Made, Shape, mutation: 0f) with { BackgroundL2 = 1e-4f };
        Assert.Contains("mutation rate 0 leaves out", Assert.Throws<ArgumentException>(o.Validate).Message, StringComparison.Ordinal);
        Assert.Contains("must be in [0, 1]", Assert.Throws<ArgumentException>((o with { MutationRate = 0.2f, BackgroundL2 = float.NaN }).Validate).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(FlowKind.Maf)]
    [InlineData(FlowKind.RealNvp)]
    public void TheLossFallsAndTheMeanTrainingNllIsFitted(FlowKind kind)
    {
        var model = Create(kind, 15, lr: 1e-2f);
        var r = new Trainer(model).Train(Crops(), 0, 15);
        Assert.True(r[^1].Terms[0] < r[0].Terms[0] - 0.2, $"{kind}: bits/dim {r[0].Terms[0]} -> {r[^1].Terms[0]}");
        Assert.True(model.MeanTrainingNll > 0 && double.IsFinite(model.MeanTrainingNll));
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(1e30f)]
    public void ANonFiniteLossStopsTrainingAndKeepsTheLastGoodCheckpoint(float poison)
    {
        using var dir = new TempDir();
        string path = dir.File("f.safetensors");
        var model = Create(FlowKind.RealNvp, 3);
        var data = Crops();
        new Trainer(model) { CheckpointPath = path }.Train(data, 0, 1);
        byte[] good = File.ReadAllBytes(path);
        // a coupling's scale weights blown up: exp(s) overflows (1e30), or every output is NaN
        model.Flow.NamedParameters().First(p => p.Name.EndsWith("net.0.weight", StringComparison.Ordinal)).Tensor.Data.Fill(poison);
        var e = Assert.Throws<TrainingDivergedException>(() => new Trainer(model) { CheckpointPath = path }.Train(data, 1, 3));
        Assert.Contains("training diverged at epoch 2", e.Message, StringComparison.Ordinal);
        Assert.Contains("last good checkpoint (epoch 1)", e.Message, StringComparison.Ordinal);
        Assert.Equal(good, File.ReadAllBytes(path));
        Assert.Equal(1, ModelFile.LoadTrained(path).Epoch);
    }

    [Theory]
    [InlineData(FlowKind.Maf)]
    [InlineData(FlowKind.RealNvp)]
    public void SamplesAreEightBitImagesAndRepeatWithTheSeed(FlowKind kind)
    {
        var model = Create(kind);
        new Trainer(model).Train(Crops(), 0, 1);
        float[] a = Latent.Models.Scores.PriorSampling.Sample(model, 5, 3), b = Latent.Models.Scores.PriorSampling.Sample(model, 5, 3);
        Assert.Equal(5 * 16, a.Length);
        Assert.Equal(a, b);
        Latent.Models.Scores.EightBitImages.Levels(a, 16);                   // throws unless every value is k / 255
    }
}

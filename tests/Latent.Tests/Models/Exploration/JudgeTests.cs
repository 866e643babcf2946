// The judges: probabilities sum to 1 and equal softmax(W x + b) computed by hand, training is bit-identical on rerun,
// and a saved judge reads back with the same outputs.
using Latent.Models.Exploration.Judges;
using Latent.Tensors;

namespace Latent.Tests.Models.Exploration;

public class JudgeTests
{
    private static (float[] X, int[] Y) Data(int n, int side, int classes)
    {
        var rng = new Rng(9);
        var x = new float[n * side * side];
        var y = new int[n];
        for (int i = 0; i < n; i++)
        {
            y[i] = i % classes;
            for (int j = 0; j < side * side; j++)
                x[i * side * side + j] = Math.Clamp(0.3f * rng.NextFloat() + (j % classes == y[i] ? 0.6f : 0f), 0f, 1f);
        }
        return (x, y);
    }

    [Fact]
    public void LogregProbabilitiesSumToOneAndMatchSoftmaxByHand()
    {
        var o = new JudgeOptions { Kind = JudgeKind.Logreg, Height = 4, Width = 4, Classes = 3, Epochs = 30, BatchSize = 8, LearningRate = 0.05f };
        var (x, y) = Data(24, 4, 3);
        var judge = JudgeTrainer.Train(o, x, y);
        var p = judge.Probabilities(x, 24);
        var w = judge.Head.Weight.Data;      // (K, D)
        var b = judge.Head.Bias!.Data;       // (K)
        for (int n = 0; n < 24; n++)
        {
            var logits = new double[3];
            for (int k = 0; k < 3; k++)
            {
                logits[k] = b[k];
                for (int j = 0; j < 16; j++) logits[k] += (double)w[k * 16 + j] * x[n * 16 + j];
            }
            double m = logits.Max(), z = logits.Sum(l => Math.Exp(l - m));
            for (int k = 0; k < 3; k++) Assert.Equal(Math.Exp(logits[k] - m) / z, p[n * 3 + k], 1e-5);
            Assert.Equal(1, p.AsSpan(n * 3, 3).ToArray().Sum(), 1e-5);
        }
        Assert.True(JudgeTrainer.Accuracy(judge, x, y) > 0.9, "the judge should separate such easy classes");
    }

    [Theory]
    [InlineData(JudgeKind.Logreg)]
    [InlineData(JudgeKind.Cnn)]
    public void TrainingIsBitIdenticalOnRerunAndSurvivesSaving(JudgeKind kind)
    {
        var o = JudgeOptions.For(kind) with { Height = 8, Width = 8, Classes = 4, Epochs = 2, BatchSize = 10, Seed = 3 };
        var (x, y) = Data(40, 8, 4);
        var a = JudgeTrainer.Train(o, x, y);
        var b = JudgeTrainer.Train(o, x, y);
        var sa = a.StateTensors();
        var sb = b.StateTensors();
        for (int i = 0; i < sa.Count; i++) Assert.Equal(sa[i].Tensor.Data.ToArray(), sb[i].Tensor.Data.ToArray());
        var c = JudgeTrainer.Train(o with { Seed = 4 }, x, y);
        Assert.NotEqual(sa[0].Tensor.Data.ToArray(), c.StateTensors()[0].Tensor.Data.ToArray());

        var p = a.Probabilities(x, 40);
        for (int n = 0; n < 40; n++) Assert.Equal(1, p.AsSpan(n * 4, 4).ToArray().Sum(), 1e-5);
        Assert.Equal(kind == JudgeKind.Cnn ? Judge.Hidden : 64, a.Features);
        Assert.Equal(40 * a.Features, a.FeaturesOf(x, 40).Length);

        using var dir = new TempDir();
        string path = dir.File("judge.safetensors");
        JudgeFile.Save(path, a, 0.5);
        var (loaded, acc) = JudgeFile.Load(path);
        Assert.Equal(0.5, acc);
        Assert.Equal(kind, loaded.Options.Kind);
        Assert.Equal(p, loaded.Probabilities(x, 40));
    }

    [Fact]
    public void AModelFileIsNotAJudge()
    {
        using var dir = new TempDir();
        string path = dir.File("m.safetensors");
        Latent.Nn.Checkpoints.Checkpoint.Save(path, [], new Dictionary<string, string> { ["model_type"] = "latent.autoencoder.vae" });
        var e = Assert.Throws<InvalidDataException>(() => JudgeFile.Load(path));
        Assert.Contains("not a judge", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(JudgeKind.Logreg, 4, 4, 10)]
    [InlineData(JudgeKind.Logreg, 28, 28, 10)]
    [InlineData(JudgeKind.Cnn, 28, 28, 10)]
    [InlineData(JudgeKind.Cnn, 8, 12, 3)]
    public void ParameterCountIsTheBuiltJudgesWithoutBuildingIt(JudgeKind kind, int height, int width, int classes)
    {
        var o = JudgeOptions.For(kind) with { Height = height, Width = width, Classes = classes };
        Assert.Equal(new Judge(o).ParameterCount(), Judge.ParameterCount(o));
    }

    [Fact]
    public void OptionsAskingForMoreWeightsThanTheFileHoldsAreRefusedBeforeAllocating()
    {
        // a 1 KB judge file whose options say 1024 x 1024 images and 1000 classes: 4 GB of weights (fuzzing, issue 12)
        using var dir = new TempDir();
        string path = dir.File("judge.safetensors");
        JudgeFile.Save(path, new Judge(new JudgeOptions { Height = 4, Width = 4 }), 0.5);
        var file = Latent.Nn.Checkpoints.Checkpoint.Read(path);
        var metadata = new Dictionary<string, string>(file.Metadata)
        {
            [Latent.Nn.Checkpoints.Checkpoint.OptionsKey] = file.Metadata[Latent.Nn.Checkpoints.Checkpoint.OptionsKey]
                .Replace("\"Height\":4", "\"Height\":1024", StringComparison.Ordinal).Replace("\"Width\":4", "\"Width\":1024", StringComparison.Ordinal)
                .Replace("\"Classes\":10", "\"Classes\":1000", StringComparison.Ordinal),
        };
        Latent.Nn.Checkpoints.Checkpoint.Save(path, [.. file.Tensors.Select(kv => new Latent.Nn.NamedTensor(kv.Key, kv.Value))], metadata);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<InvalidDataException>(() => JudgeFile.Load(path));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 16 << 20, "the judge was built before its size was checked");
        Assert.Contains("1024x1024 images and 1000 classes", e.Message, StringComparison.Ordinal);
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BadJudgeSettingsAreErrors()
    {
        Assert.Throws<ArgumentException>(() => new JudgeOptions { Epochs = 0 }.Validate());
        Assert.Throws<ArgumentException>(() => new JudgeOptions { L2 = float.NaN }.Validate());
        Assert.Throws<ArgumentException>(() => new JudgeOptions { Kind = JudgeKind.Cnn, Height = 10 }.Validate());
        Assert.Throws<ArgumentException>(() => JudgeTrainer.Train(new JudgeOptions { Height = 4, Width = 4, Classes = 2 }, new float[16], [5]));
    }
}

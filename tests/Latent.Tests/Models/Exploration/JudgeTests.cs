// The judges: probabilities sum to 1 and equal softmax(W x + b) computed by hand, training is bit-identical on rerun
// (with the cnn's dropout and shift augmentation), dropout and augmentation change the training, held-out images are
// kept out of it, and a saved judge, also one of the first judges (16/32 channels, options JSON without the later
// fields), reads back with the same outputs.
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
    public void DropoutAndAugmentationAreUsedInTrainingOnly()
    {
        var o = JudgeOptions.For(JudgeKind.Cnn) with { Height = 8, Width = 8, Classes = 4, Epochs = 1, BatchSize = 10, Seed = 3 };
        Assert.True(o.Dropout > 0 && !o.Augment.IsNone, "the cnn's defaults use dropout and augmentation");
        var (x, y) = Data(40, 8, 4);
        float[] W(JudgeOptions opt) => JudgeTrainer.Train(opt, x, y).Head.Weight.Data.ToArray();
        var w = W(o);
        Assert.NotEqual(w, W(o with { Dropout = 0 }));
        Assert.NotEqual(w, W(o with { Augment = Latent.Models.Training.Augmentation.None }));
        Assert.Equal(w, W(o));
        var judge = JudgeTrainer.Train(o, x, y);
        Assert.Equal(judge.FeaturesOf(x, 40), judge.FeaturesOf(x, 40));   // eval mode: no dropout
    }

    [Fact]
    public void HeldOutImagesAreASeededDisjointShareKeptOutOfTraining()
    {
        var (train, held) = JudgeTrainer.HeldOutSplit(100, 0.1, 3);
        Assert.Equal(10, held.Length);
        Assert.Equal(Enumerable.Range(0, 100), train.Concat(held).Order());
        Assert.Equal(held, JudgeTrainer.HeldOutSplit(100, 0.1, 3).HeldOut);
        Assert.NotEqual(held, JudgeTrainer.HeldOutSplit(100, 0.1, 4).HeldOut);
        Assert.Empty(JudgeTrainer.HeldOutSplit(100, 0, 3).HeldOut);

        var o = new JudgeOptions { Height = 4, Width = 4, Classes = 3, Epochs = 5, BatchSize = 8, LearningRate = 0.05f, HeldOut = 0.25, Seed = 1 };
        var (x, y) = Data(40, 4, 3);
        var lines = new List<string>();
        var (judge, acc) = JudgeTrainer.TrainWithHeldOut(o, x, y, lines.Add);
        var h = JudgeTrainer.HeldOutSplit(40, 0.25, 1).HeldOut;
        var xh = h.SelectMany(i => x.AsSpan(i * 16, 16).ToArray()).ToArray();
        Assert.Equal(JudgeTrainer.Accuracy(judge, xh, h.Select(i => y[i]).ToArray()), acc);
        Assert.Contains("held-out accuracy", lines[^1], StringComparison.Ordinal);
        // Trained on the other 30 images only: the same as training on them directly.
        var t = JudgeTrainer.HeldOutSplit(40, 0.25, 1).Train;
        var direct = JudgeTrainer.Train(o with { HeldOut = 0 }, t.SelectMany(i => x.AsSpan(i * 16, 16).ToArray()).ToArray(), t.Select(i => y[i]).ToArray());
        Assert.Equal(direct.Head.Weight.Data.ToArray(), judge.Head.Weight.Data.ToArray());
        Assert.True(double.IsNaN(JudgeTrainer.TrainWithHeldOut(o with { HeldOut = 0 }, x, y).HeldOutAccuracy));
    }

    [Fact]
    public void AFirstJudgeFileWithoutTheLaterOptionsReadsAsTheNetworkItHolds()
    {
        // The first cnn judges (16/32 channels, no dropout, no augmentation) stored options JSON like this one.
        var old = new JudgeOptions { Kind = JudgeKind.Cnn, Height = 8, Width = 8, Classes = 4, Epochs = 1, BatchSize = 10, L2 = 0 };
        var (x, y) = Data(40, 8, 4);
        var judge = JudgeTrainer.Train(old, x, y);
        using var dir = new TempDir();
        string path = dir.File("first.safetensors");
        Latent.Nn.Checkpoints.Checkpoint.Save(path, judge, new Dictionary<string, string>
        {
            ["model_type"] = "latent.judge.cnn",
            ["options"] = """{"Kind":"cnn","Epochs":1,"BatchSize":10,"LearningRate":0.001,"LrDecay":1,"L2":0,"Seed":0,"Height":8,"Width":8,"Classes":4}""",
            ["test_accuracy"] = "0.9894",
        });
        var (loaded, acc) = JudgeFile.Load(path);
        Assert.Equal(0.9894, acc);
        Assert.Equal((16, 32, 0f), (loaded.Options.Conv1Channels, loaded.Options.Conv2Channels, loaded.Options.Dropout));
        Assert.True(loaded.Options.Augment.IsNone);
        Assert.Equal(judge.Probabilities(x, 40), loaded.Probabilities(x, 40));
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
        Assert.Throws<ArgumentException>(() => (JudgeOptions.For(JudgeKind.Cnn) with { Dropout = 1 }).Validate());
        Assert.Throws<ArgumentException>(() => new JudgeOptions { Dropout = 0.5f }.Validate());   // logreg has no hidden layer
        Assert.Throws<ArgumentException>(() => new JudgeOptions { Kind = JudgeKind.Cnn, Conv2Channels = 0 }.Validate());
        Assert.Throws<ArgumentException>(() => new JudgeOptions { HeldOut = 0.6 }.Validate());
        Assert.Throws<ArgumentException>(() => new JudgeOptions { Augment = new Latent.Models.Training.Augmentation { Shift = 9 } }.Validate());
        Assert.Throws<ArgumentException>(() => JudgeTrainer.HeldOutSplit(1, 0.5, 0));
    }
}

// PixelCNN's density scores (issue 14): the registry kind lists nll, likelihood-ratio, typicality and complexity
// (without a background network no likelihood-ratio), each score equals its formula on a tiny model (the background
// network's nll, the mean training nll fitted by FitStatistics), training steps the background network on mutated
// images (its own term), and a checkpoint written before the background network and the mean loads with neither (no
// likelihood-ratio, mean NaN: no typicality) and gets the mean back once it trains on.
using System.Text.Json.Nodes;
using Latent.Models;
using Latent.Models.Autoregressive;
using Latent.Models.Scores;
using Latent.Models.Training;
using Latent.Nn;
using Latent.Nn.Checkpoints;
using Latent.Tensors;

namespace Latent.Tests.Models.Autoregressive;

public class PixelCnnScoreTests
{
    private static Samples Images(int n, ulong seed)
    {
        var shape = new ImageShape(1, 6, 5);
        var x = new float[n * shape.Dim];
        var rng = new Rng(seed);
        for (int i = 0; i < x.Length; i++) x[i] = rng.NextInt(256) / 255f;
        return new Samples(x, n, shape);
    }

    [Fact]
    public void TheRegistryKindListsTheFourDensityScoresAndWithoutABackgroundNoLikelihoodRatio()
    {
        var entry = ModelRegistry.Get("pixelcnn");
        var o = (PixelCnnOptions)entry.Defaults(null, ImageShape.Gray(28, 28));
        Assert.Equal(0.2f, o.MutationRate);
        Assert.Equal(["nll", "likelihood-ratio", "typicality", "complexity"], entry.Scores(o).Select(s => s.Name));
        Assert.Equal(["nll", "typicality", "complexity"], entry.Scores(o with { MutationRate = 0f }).Select(s => s.Name));
    }

    [Fact]
    public void TheScoresEqualTheirFormulas()
    {
        var model = new PixelCnn(PixelCnnTests.Tiny());
        var train = Images(20, 1);
        model.FitStatistics(train);
        Samples test = Images(3, 2);
        var x = Tensor.FromSpan(test.X, 3, 1, 6, 5);
        double[] nll, back;
        using (GradMode.Disable())
        {
            double sum = 0;
            foreach (float v in model.NegativeLogLikelihood(Tensor.FromSpan(train.X, 20, 1, 6, 5)).Data) sum += v;
            Assert.Equal(sum / 20, model.MeanTrainingNll, 1e-3);
            nll = model.NegativeLogLikelihood(x).ToArray().Select(v => (double)v).ToArray();
            back = model.Background!.NegativeLogLikelihood(x).ToArray().Select(v => (double)v).ToArray();
        }
        var r = new GenerativeScores(model).Score(test);
        double bits = 30 * Math.Log(2), mean = model.MeanTrainingNll;
        for (int i = 0; i < 3; i++)
        {
            Assert.NotEqual(nll[i], back[i]);                                  // two networks, two draws of weights
            Assert.Equal(nll[i] / bits, r["nll"][i], 1e-5);
            Assert.Equal((nll[i] - back[i]) / bits, r["likelihood-ratio"][i], 1e-5);
            Assert.Equal(Math.Abs(nll[i] - mean) / bits, r["typicality"][i], 1e-5);
            long png = ImageComplexity.Bits(EightBitImages.Levels(test.Row(i), 30), 5);
            Assert.Equal((nll[i] / Math.Log(2) - png) / 30, r["complexity"][i], 1e-4);
        }
    }

    [Fact]
    public void TheBackgroundL2ShrinksOnlyTheBackgroundNetworksWeights()
    {
        // the same steps with and without Ren et al.'s L2 penalty: the main network is identical, the background smaller
        PixelCnn Stepped(float l2)
        {
            var m = new PixelCnn(PixelCnnTests.Tiny() with { BackgroundL2 = l2 });
            var rng = new Rng(4);
            for (int i = 0; i < 20; i++) m.TrainStep(Tensor.FromSpan(Images(10, 3).X, 10, 1, 6, 5), rng);
            return m;
        }
        static double Norm(Latent.Nn.Module m) => m.NamedParameters().Sum(p => p.Tensor.ToArray().Sum(v => (double)v * v));
        PixelCnn plain = Stepped(0f), penalised = Stepped(0.5f);
        Assert.Equal(plain.Network.NamedParameters().SelectMany(p => p.Tensor.ToArray()), penalised.Network.NamedParameters().SelectMany(p => p.Tensor.ToArray()));
        Assert.True(Norm(penalised.BackgroundNetwork!) < 0.99 * Norm(plain.BackgroundNetwork!), $"{Norm(penalised.BackgroundNetwork!)} vs {Norm(plain.BackgroundNetwork!)}");
    }

    [Fact]
    public void TrainingStepsTheBackgroundNetworkOnMutatedImages()
    {
        var model = new PixelCnn(PixelCnnTests.Tiny());
        Assert.Equal(["nll", "bpd", "background-bpd"], model.TermNames);
        float[] before = model.BackgroundNetwork!.Input.Weight.ToArray();
        var x = Tensor.FromSpan(Images(10, 3).X, 10, 1, 6, 5);
        float[] clean = x.ToArray();
        float[] terms = model.TrainStep(x, new Rng(4));
        Assert.Equal(3, terms.Length);
        Assert.All(terms, t => Assert.True(float.IsFinite(t) && t > 0));
        Assert.NotEqual(terms[1], terms[2]);
        Assert.False(before.SequenceEqual(model.BackgroundNetwork.Input.Weight.ToArray()));
        Assert.Equal(clean, x.ToArray());                                      // the batch itself is not mutated
        Assert.Equal(["nll", "bpd"], new PixelCnn(PixelCnnTests.Tiny() with { MutationRate = 0f }).TermNames);
    }

    [Fact]
    public void AnOldCheckpointLoadsWithoutBackgroundOrMeanAndGetsTheMeanWhenTrainedOn()
    {
        using var dir = new TempDir();
        var o = PixelCnnTests.Tiny();
        var data = Images(20, 5);
        string path = dir.File("new.safetensors"), old = dir.File("old.safetensors");
        new Trainer(new PixelCnn(o with { MutationRate = 0f })) { CheckpointPath = path }.Train(data, 0, 1);
        // the file as the build before the background network wrote it: no MutationRate option, no mean buffer
        SafeTensorsFile file = Checkpoint.Read(path);
        var options = JsonNode.Parse(file.Metadata[Checkpoint.OptionsKey])!.AsObject();
        Assert.True(options.Remove(nameof(PixelCnnOptions.MutationRate)));
        var metadata = new Dictionary<string, string>(file.Metadata);
        metadata[Checkpoint.OptionsKey] = options.ToJsonString();
        Checkpoint.Save(old, file.Tensors.Where(kv => kv.Key != PixelCnn.MeanBuffer).Select(kv => new NamedTensor(kv.Key, kv.Value)).ToList(), metadata);

        LoadedModel loaded = ModelFile.Load(old);
        Assert.Equal(["nll", "complexity"], loaded.Model.Scores.Select(s => s.Name));
        var (model, epoch) = ModelFile.LoadTrained(old);
        var p = Assert.IsType<PixelCnn>(model);
        Assert.Equal(0f, p.Options.MutationRate);
        Assert.Null(p.Background);
        Assert.True(double.IsNaN(p.MeanTrainingNll));
        Assert.Equal(1, epoch);

        new Trainer(p) { CheckpointPath = old }.Train(data, 1, 2);             // resuming refits the mean and saves it
        Assert.True(double.IsFinite(p.MeanTrainingNll));
        Assert.Equal(["nll", "typicality", "complexity"], ModelFile.Load(old).Model.Scores.Select(s => s.Name));
    }
}

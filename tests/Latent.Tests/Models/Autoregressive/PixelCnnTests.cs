// PixelCNN: the logits at a pixel never depend on that pixel or a later one (perturbation, one channel and colour
// groups), each pixel's L-way probabilities sum to 1, the density of a tiny image space sums to 1 over all its
// images, sampling's row window gives the full network's logits, the pixel grid convention (k / (L - 1), outside or
// off-grid values an error), a NaN loss stops training keeping the last good checkpoint, resume is exact, and the
// registry/scores wiring (the density scores from IDensity, samples from ISampler).
using Latent.Models;
using Latent.Models.Autoregressive;
using Latent.Models.Scores;
using Latent.Models.Training;
using Latent.Tensors;
using Latent.Tests.Models.Autoencoders;

namespace Latent.Tests.Models.Autoregressive;

public class PixelCnnTests
{
    public static PixelCnnOptions Tiny(int channels = 1, int height = 6, int width = 5, int levels = 256) => new()
    {
        Channels = channels,
        Height = height,
        Width = width,
        Levels = levels,
        Hidden = 4 * channels,
        Blocks = 2,
        InputKernel = 3,
        OutputHidden = 2 * channels,
        Training = new TrainingOptions { BatchSize = 10, Seed = 3, Epochs = 2 },
    };

    private static Tensor RandomImage(Rng rng, int n, int c, int h, int w, int levels)
    {
        var x = new Tensor(n, c, h, w);
        for (int i = 0; i < x.Length; i++) x.Data[i] = rng.NextInt(levels) / (float)(levels - 1);
        return x;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void LogitsNeverSeeTheCurrentOrLaterPixels(int channels)
    {
        var o = Tiny(channels, 5, 4, levels: 8) with { Hidden = 6 * channels, Blocks = 2, InputKernel = 5 };
        var model = new PixelCnn(o);
        model.Eval();
        using var _ = GradMode.Disable();
        var rng = new Rng(1);
        Tensor x = RandomImage(rng, 1, channels, 5, 4, 8);
        float[] before = model.Forward(x).ToArray();                      // (1, C L, H, W)
        int h = 5, w = 4, levels = 8;
        for (int c = 0; c < channels; c++)
            for (int i = 0; i < h; i++)
                for (int j = 0; j < w; j++)
                {
                    Tensor y = x.Clone();
                    int at = (c * h + i) * w + j;
                    y.Data[at] = y.Data[at] > 0.5f ? 0f : 1f;                // perturb pixel (c, i, j)
                    float[] after = model.Forward(y).ToArray();
                    for (int oc = 0; oc < channels; oc++)
                        for (int oi = 0; oi < h; oi++)
                            for (int oj = 0; oj < w; oj++)
                            {
                                bool later = oi < i || (oi == i && oj < j) || (oi == i && oj == j && oc <= c);   // (oc, oi, oj) precedes or is (c, i, j)
                                if (!later) continue;
                                for (int l = 0; l < levels; l++)
                                {
                                    int k = (((oc * levels) + l) * h + oi) * w + oj;
                                    Assert.True(before[k] == after[k], $"logit of ({oc}, {oi}, {oj}) changed when pixel ({c}, {i}, {j}) changed");
                                }
                            }
                }
        // and it does see earlier pixels: the last pixel's logits depend on its left neighbour
        Tensor z = x.Clone();
        int left = (h - 1) * w + w - 2;
        z.Data[left] = z.Data[left] > 0.5f ? 0f : 1f;
        Assert.NotEqual(before[(h - 1) * w + w - 1], model.Forward(z).Data[(h - 1) * w + w - 1]);
    }

    [Fact]
    public void EachPixelsProbabilitiesSumToOne()
    {
        var model = new PixelCnn(Tiny());
        model.Eval();
        using var _ = GradMode.Disable();
        Tensor logits = model.Forward(RandomImage(new Rng(2), 2, 1, 6, 5, 256));  // (2, 256, 6, 5)
        for (int n = 0; n < 2; n++)
            for (int p = 0; p < 30; p++)
            {
                var row = new Tensor(1, 256);
                for (int l = 0; l < 256; l++) row.Data[l] = logits.Data[(n * 256 + l) * 30 + p];
                double sum = row.LogSoftmax().ToArray().Sum(v => Math.Exp(v));
                Assert.Equal(1.0, sum, 5);
            }
    }

    [Theory]
    [InlineData(1, 2, 2, 2)]
    [InlineData(1, 2, 3, 2)]
    [InlineData(2, 1, 2, 3)]
    public void TheDensityOfATinyImageSpaceSumsToOne(int channels, int height, int width, int levels)
    {
        var o = Tiny(channels, height, width, levels);
        var model = new PixelCnn(o);
        new Trainer(model).Train(new Samples(RandomImage(new Rng(4), 20, channels, height, width, levels).ToArray(), 20, new ImageShape(channels, height, width)), 0, 1);
        int d = channels * height * width, count = (int)Math.Pow(levels, d);
        var all = new Tensor(count, channels, height, width);
        for (int m = 0; m < count; m++)
            for (int p = 0, r = m; p < d; p++, r /= levels) all.Data[m * d + p] = r % levels / (float)(levels - 1);
        model.Eval();
        using var _ = GradMode.Disable();
        double total = model.NegativeLogLikelihood(all).ToArray().Sum(nll => Math.Exp(-nll));
        Assert.Equal(1.0, total, 4);
    }

    [Fact]
    public void SamplingsRowWindowGivesTheFullNetworksLogits()
    {
        var o = Tiny(1, 9, 5) with { InputKernel = 3, Blocks = 2 };           // reach 1 + 2 = 3 rows
        var model = new PixelCnn(o);
        model.Eval();
        using var _ = GradMode.Disable();
        Tensor x = RandomImage(new Rng(6), 2, 1, 9, 5, 256);
        Tensor full = model.Forward(x);                                      // (2, 256, 9, 5)
        int i = 7, j = 2, top = i - o.Reach, rows = i - top + 1;
        Tensor f = model.Network.Trunk(x.Slice(2, top, rows)).Slice(2, rows - 1, 1).Slice(3, j, 1);
        Tensor window = model.Network.Head(f);                               // (2, 256, 1, 1)
        for (int n = 0; n < 2; n++)
            for (int l = 0; l < 256; l++)
                Assert.Equal(full.Data[((n * 256 + l) * 9 + i) * 5 + j], window.Data[n * 256 + l], 5);
    }

    [Fact]
    public void SamplesAreOnTheGridAndRepeatForASeed()
    {
        var model = new PixelCnn(Tiny(1, 4, 3, levels: 4));
        float[] a = model.Sample(3, new Rng(5)).ToArray(), b = model.Sample(3, new Rng(5)).ToArray();
        Assert.Equal(a, b);
        Assert.All(a, v => Assert.Contains(v, new[] { 0f, 1f / 3, 2f / 3, 1f }));
        Assert.Equal(a, PriorSampling.Sample(model, 3, 5));
    }

    [Fact]
    public void PixelValuesOutsideTheUnitIntervalOrOffTheGridAreErrors()
    {
        var model = new PixelCnn(Tiny());
        var x = new Tensor(1, 1, 6, 5);
        x.Data[7] = 1.5f;
        Assert.Contains("outside [0, 1]", Assert.Throws<ArgumentException>(() => model.NegativeLogLikelihood(x)).Message, StringComparison.Ordinal);
        x.Data[7] = -0.01f;
        Assert.Contains("outside [0, 1]", Assert.Throws<ArgumentException>(() => model.NegativeLogLikelihood(x)).Message, StringComparison.Ordinal);
        x.Data[7] = 0.5f;                                                    // 127.5 / 255
        Assert.Contains("not on the grid k / 255", Assert.Throws<ArgumentException>(() => model.NegativeLogLikelihood(x)).Message, StringComparison.Ordinal);
        x.Data[7] = 128 / 255f;
        Assert.True(float.IsFinite(model.NegativeLogLikelihood(x).Data[0]));
        Assert.Contains("(N, 1, 6, 5)", Assert.Throws<ArgumentException>(() => model.NegativeLogLikelihood(new Tensor(1, 1, 5, 6))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheNllIsInNatsAndBitsPerDimensionFollow()
    {
        // an untrained network with zero output weights gives the uniform distribution: D ln L nats, log2 L bits/dim
        var model = new PixelCnn(Tiny());
        model.Network.Head2.Weight.Data.Clear();
        model.Network.Head2.Bias.Data.Clear();
        model.Eval();
        float nll = model.NegativeLogLikelihood(RandomImage(new Rng(1), 1, 1, 6, 5, 256)).Data[0];
        Assert.Equal(30 * Math.Log(256), nll, 3);
        Assert.Equal(8.0, nll / (30 * Math.Log(2)), 4);
    }

    [Fact]
    public void ANaNLossStopsTrainingAndKeepsTheLastGoodCheckpoint()
    {
        using var dir = new TempDir();
        string path = dir.File("p.safetensors");
        var data = Threes();
        var o = Tiny(1, 28, 28) with { Training = Tiny().Training with { Epochs = 3 } };
        new Trainer(new PixelCnn(o)) { CheckpointPath = path }.Train(data, 0, 1);
        byte[] before = File.ReadAllBytes(path);
        var (model, epoch) = ModelFile.LoadTrained(path);
        ((PixelCnn)model).Network.Input.Weight.Data[0] = float.NaN;          // an unmasked weight: every later logit is NaN
        var e = Assert.Throws<TrainingDivergedException>(() => new Trainer(model) { CheckpointPath = path }.Train(data, epoch, 3));
        Assert.Contains("'nll' is NaN", e.Message, StringComparison.Ordinal);
        Assert.Contains("last good checkpoint (epoch 1)", e.Message, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(path));
    }

    [Fact]
    public void ResumingIsBitIdenticalToTrainingStraight()
    {
        using var dir = new TempDir();
        var o = Tiny(1, 28, 28);
        var data = Threes();
        var straight = new PixelCnn(o);
        new Trainer(straight).Train(data, 0, 2);
        string path = dir.File("m.safetensors");
        new Trainer(new PixelCnn(o)) { CheckpointPath = path }.Train(data, 0, 1);
        var (resumed, epoch) = ModelFile.LoadTrained(path);
        Assert.Equal(1, epoch);
        new Trainer(resumed).Train(data, 1, 2);
        var a = ResumeAssert.SameCheckpoint(straight, resumed);
        Assert.Contains(a, t => t.Name.StartsWith("optim.pixelcnn.net.input.weight", StringComparison.Ordinal));
        Assert.Contains(a, t => t.Name.StartsWith("background.", StringComparison.Ordinal));
        Assert.Contains(a, t => t.Name.StartsWith("optim.background.background.input.weight", StringComparison.Ordinal));
        Assert.Contains(a, t => t.Name == PixelCnn.MeanBuffer && t.Tensor.Data[0] > 0f);
    }

    [Fact]
    public void TheRegistryKindHasNoLatentScoresNllAndSamples()
    {
        var entry = ModelRegistry.Get("pixelcnn");
        Assert.Equal("latent.autoregressive.pixelcnn", entry.CheckpointType);
        Assert.False(entry.HasLatent);
        var o = entry.Defaults(null, ImageShape.Gray(28, 28));
        Assert.Equal(["nll", "likelihood-ratio", "typicality", "complexity"], entry.Scores(o).Select(s => s.Name));   // PixelCnnScoreTests checks their values
        var model = (PixelCnn)((TrainedModelEntry)entry).Create(entry.Adapt(Tiny(), null, ImageShape.Gray(6, 5)));
        Assert.Equal(new ImageShape(1, 6, 5), model.Shape);
        var x = RandomImage(new Rng(3), 2, 1, 6, 5, 256);
        var scores = new GenerativeScores(model).Score(new Samples(x.ToArray(), 2, model.Shape));
        using var _ = GradMode.Disable();
        double bitsPerNat = 1.0 / (6 * 5 * Math.Log(2));   // the nll score is in bits per dimension
        var expected = model.NegativeLogLikelihood(x).ToArray().Select(v => v * bitsPerNat).ToArray();
        Assert.Equal(expected.Length, scores["nll"].Length);
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], scores["nll"][i], 1e-4);
    }

    [Fact]
    public void BadOptionsAreClearErrors()
    {
        Assert.Contains("multiple of 2 x 3", Assert.Throws<ArgumentException>(() => new PixelCnn(Tiny(3) with { Hidden = 8 })).Message, StringComparison.Ordinal);
        Assert.Contains("levels 1", Assert.Throws<ArgumentException>(() => new PixelCnn(Tiny() with { Levels = 1 })).Message, StringComparison.Ordinal);
        Assert.Contains("input kernel 4", Assert.Throws<ArgumentException>(() => new PixelCnn(Tiny() with { InputKernel = 4 })).Message, StringComparison.Ordinal);
        Assert.Contains("mutation rate 1.5 must be in [0, 1]", Assert.Throws<ArgumentException>(() => new PixelCnn(Tiny() with { MutationRate = 1.5f })).Message, StringComparison.Ordinal);
        Assert.Contains("mutation rate NaN", Assert.Throws<ArgumentException>(() => new PixelCnn(Tiny() with { MutationRate = float.NaN })).Message, StringComparison.Ordinal);
    }

    /// <summary>The committed subset's 3s as (N, 1, 28, 28) images.</summary>
    private static Samples Threes()
    {
        var s = AutoencoderTestData.Threes();
        return new Samples(s.X, s.Count, ImageShape.Gray(28, 28));
    }
}

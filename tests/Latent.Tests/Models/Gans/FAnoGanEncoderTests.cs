// f-AnoGAN's encoder on the gan model (GanOptions.EncoderEpochs): izi_f against a hand computation; the encoder epochs
// train E alone (G and D bit-identical, E changed, izi_f lower); the latent search starts at E(x) (0 steps: G(E(x)));
// exact resume across the switch to the encoder epochs; old options (no EncoderEpochs) build the encoder-free model;
// bad values are clear errors.
using Latent.Models;
using Latent.Models.Gans;
using Latent.Models.Scores;
using Latent.Models.Training;
using Latent.Tensors;
using Latent.Tests.Models.Autoencoders;

namespace Latent.Tests.Models.Gans;

public class FAnoGanEncoderTests
{
    private static GanOptions WithEncoder(int epochs = 2, int encoderEpochs = 1, float kappa = 1f)
    {
        var o = GanTestData.Tiny(GanKind.Gan) with { EncoderEpochs = encoderEpochs, EncoderFeatureWeight = kappa };
        return o with { Training = o.Training with { Epochs = epochs, BatchSize = 25, Seed = 2 } };
    }

    private static Tensor Batch(int n) => GanTestData.Threes(n);

    [Fact]
    public void IziMatchesAHandComputation()
    {
        var g = new GanModel(WithEncoder(kappa: 0.7f));
        g.Eval();
        Tensor x = Batch(3), real = x * 2f - 1f;
        float[] rebuilt, fReal, fRebuilt;
        double izi;
        using (GradMode.Disable())
        {
            Tensor r = g.Decode(g.StartingCodes(x)!);
            rebuilt = r.ToArray();
            fReal = g.Discriminator.Features(real).ToArray();
            fRebuilt = g.Discriminator.Features(r).ToArray();
            izi = g.Izi(real).Item();
        }
        float[] xr = real.ToArray();
        double pixels = 0, features = 0;
        for (int i = 0; i < xr.Length; i++) pixels += (double)(rebuilt[i] - xr[i]) * (rebuilt[i] - xr[i]);
        for (int i = 0; i < fReal.Length; i++) features += (double)(fRebuilt[i] - fReal[i]) * (fRebuilt[i] - fReal[i]);
        Assert.True(features > 0);
        Assert.Equal(pixels / xr.Length + 0.7 * features / fReal.Length, izi, 4);
    }

    [Fact]
    public void TheFeatureScoreIsTheL1DistanceInDsFeaturesAtTheCodeOfRecon()
    {
        var o = WithEncoder();
        var g = new GanModel(o with { Search = o.Search with { Steps = 0, Restarts = 1 } });   // f-AnoGAN: the code is E(x)
        g.Eval();
        Tensor x = Batch(4);
        var scores = new GenerativeScores(g, ["feature", "recon"]);
        Assert.Equal(GenerativeScores.SearchedFeature, scores.Scores.Single(s => s.Name == "feature"));
        var got = scores.Score(new Samples(x.ToArray(), 4, ImageShape.Gray(28, 28)));
        float[] fx, fr;
        using (GradMode.Disable())
        {
            Tensor rebuilt = g.Mean(g.Decode(g.StartingCodes(x)!));                       // (4, 1, 28, 28) in [0, 1]
            fx = g.Features(x).ToArray();
            fr = g.Features(rebuilt).ToArray();
        }
        int f = fx.Length / 4;
        for (int i = 0; i < 4; i++)
        {
            double want = 0;
            for (int j = 0; j < f; j++) want += Math.Abs((double)fx[i * f + j] - fr[i * f + j]);
            Assert.True(want > 0);
            Assert.Equal(want, got["feature"][i], want * 1e-5);
        }
        Assert.Contains(GenerativeScores.SearchedFeature, GenerativeScores.Available(new InfoganModel(GanTestData.Tiny(GanKind.Infogan))));
        Assert.Contains(GenerativeScores.Feature, GenerativeScores.Available(new BiganModel(GanTestData.Tiny(GanKind.Bigan))));   // ALAD's, unchanged
    }

    [Fact]
    public void TheEncoderEpochsTrainTheEncoderAloneAndLowerIzi()
    {
        var o = WithEncoder(epochs: 3, encoderEpochs: 2);
        var g = new GanModel(o);
        Assert.Equal(["loss_d", "loss_g", "d_real", "d_fake", "loss_e"], g.TermNames);
        var data = AutoencoderTestData.Threes();
        var trainer = new Trainer(g);
        var first = trainer.Train(data, 0, 1).Single();
        Assert.Equal(0f, (float)first.Terms[4]);                                       // a GAN epoch: E untouched
        Assert.NotEqual(0f, (float)first.Terms[0]);
        float[] Snapshot(IEnumerable<Tensor> ps) => ps.SelectMany(p => p.ToArray()).ToArray();
        float[] gen = Snapshot(g.Generator.Parameters()), disc = Snapshot(g.Discriminator.Parameters());
        float[] enc = Snapshot(g.Encoder!.Value.Trunk.Parameters().Concat(g.Encoder.Value.Head.Parameters()));
        var rest = trainer.Train(data, 1, 3);
        Assert.All(rest, r => Assert.Equal(0f, (float)r.Terms[0]));                    // encoder epochs: no GAN phase
        Assert.True(rest[1].Terms[4] < rest[0].Terms[4], $"izi_f rose from {rest[0].Terms[4]} to {rest[1].Terms[4]}");
        Assert.Equal(gen, Snapshot(g.Generator.Parameters()));
        Assert.Equal(disc, Snapshot(g.Discriminator.Parameters()));
        Assert.NotEqual(enc, Snapshot(g.Encoder.Value.Trunk.Parameters().Concat(g.Encoder.Value.Head.Parameters())));
        Assert.All(g.Parameters(), p => Assert.True(p.RequiresGrad, "a frozen parameter was left frozen"));
    }

    [Fact]
    public void TheSearchStartsAtTheEncodersCode()
    {
        var g = new GanModel(WithEncoder());
        g.Eval();
        Tensor x = Batch(2);
        Tensor e;
        using (GradMode.Disable()) e = g.StartingCodes(x)!;
        var (z, objective) = new LatentSearch(g, new LatentSearchOptions { Steps = 0, Restarts = 1 }).Search(x);
        Assert.Equal(e.ToArray(), z.ToArray());
        var (refined, better) = new LatentSearch(g, new LatentSearchOptions { Steps = 20, Restarts = 1 }).Search(x);
        for (int i = 0; i < 2; i++) Assert.True(better[i] < objective[i], $"sample {i}: refining E(x) did not lower the error ({better[i]} vs {objective[i]})");
        Assert.NotEqual(e.ToArray(), refined.ToArray());
        Assert.Null(new GanModel(GanTestData.Tiny(GanKind.Gan)).StartingCodes(x));
    }

    [Fact]
    public void ResumingAcrossTheEncoderEpochsIsBitIdentical()
    {
        using var dir = new TempDir();
        var o = WithEncoder(epochs: 3, encoderEpochs: 2);
        var data = AutoencoderTestData.Threes();
        var straight = new GanModel(o);
        new Trainer(straight).Train(data, 0, 3);
        string path = dir.File("m.safetensors");
        new Trainer(new GanModel(o)) { CheckpointPath = path }.Train(data, 0, 2);
        var (resumed, epoch) = ModelFile.LoadTrained(path);
        Assert.Equal(2, epoch);
        new Trainer(resumed).Train(data, 2, 3);
        var a = ResumeAssert.SameCheckpoint(straight, resumed);
        Assert.Contains(a, t => t.Name.StartsWith("optim.encoder.", StringComparison.Ordinal));
    }

    [Fact]
    public void OptionsWithoutTheNewFieldsBuildTheOldModels()
    {
        var entry = ModelRegistry.Get("gan");
        string json = entry.WriteOptions(GanTestData.Tiny(GanKind.Gan));
        foreach (string field in new[] { "EncoderEpochs", "EncoderFeatureWeight", "CycleWeight", "LatentCycleWeight" })
        {
            Assert.Contains($"\"{field}\"", json, StringComparison.Ordinal);
            json = System.Text.RegularExpressions.Regex.Replace(json, $"\"{field}\":[^,}}]*,?", "");
        }
        var o = Assert.IsType<GanOptions>(entry.ReadOptions(json, "old.safetensors"));
        Assert.Equal((0, 1f, 0f, 0f), (o.EncoderEpochs, o.EncoderFeatureWeight, o.CycleWeight, o.LatentCycleWeight));
        var g = new GanModel(o);
        Assert.Null(g.Encoder);
        Assert.DoesNotContain(g.CheckpointTensors(), t => t.Name.StartsWith("enc", StringComparison.Ordinal));
        Assert.Equal(["loss_d", "loss_g", "d_real", "d_fake"], g.TermNames);
    }

    [Theory]
    [InlineData(GanKind.Gan, 2, 0f, 0f, 0f, "encoder epochs 2 leave no GAN epochs of the run's 2")]
    [InlineData(GanKind.Gan, -1, 0f, 0f, 0f, "encoder epochs -1 must be 0 to 1000000")]
    [InlineData(GanKind.Bigan, 1, 0f, 0f, 0f, "encoder epochs (f-AnoGAN) are for the gan model, not bigan")]
    [InlineData(GanKind.Gan, 1, -1f, 0f, 0f, "encoder feature weight -1 must be a finite number >= 0")]
    [InlineData(GanKind.Gan, 0, 1f, 1f, 0f, "cycle weights are for the bigan model, not gan")]
    [InlineData(GanKind.Bigan, 0, 1f, 0f, float.NaN, "cycle weights 0 (x) and NaN (z) must be finite numbers >= 0")]
    public void BadValuesAreClearErrors(GanKind kind, int encoderEpochs, float kappa, float cycle, float latentCycle, string message)
    {
        var o = GanTestData.Tiny(kind) with { EncoderEpochs = encoderEpochs, EncoderFeatureWeight = kappa, CycleWeight = cycle, LatentCycleWeight = latentCycle };
        o = o with { Training = o.Training with { Epochs = 2 } };
        var e = Assert.Throws<ArgumentException>(o.Validate);
        Assert.StartsWith(message, e.Message, StringComparison.Ordinal);
    }
}

// Each member of the family trains on the committed subset and its reconstruction term falls; a diverging run
// stops with a clear message; the seed's default conv networks have the peer's parameter count.
using Latent.Models.Autoencoders;
using Latent.Replicas;
using Latent.Tensors;
using Latent.Models.Training;

namespace Latent.Tests.Models.Autoencoders;

public class AutoencoderTrainingTests
{
    [Theory]
    [InlineData(AutoencoderKind.Ae, "mmd", false)]
    [InlineData(AutoencoderKind.Dae, "mmd", false)]
    [InlineData(AutoencoderKind.Vae, "mmd", false)]
    [InlineData(AutoencoderKind.Aae, "mmd", false)]
    [InlineData(AutoencoderKind.Wae, "mmd", false)]
    [InlineData(AutoencoderKind.Wae, "gan", false)]
    [InlineData(AutoencoderKind.Vae, "mmd", true)]
    [InlineData(AutoencoderKind.Aae, "mmd", true)]
    public void ReconstructionLossFalls(AutoencoderKind kind, string penalty, bool conv)
    {
        var o = (conv ? AutoencoderTestData.TinyConv(kind, batchNorm: kind == AutoencoderKind.Aae) : AutoencoderTestData.Dense(kind))
            with { Penalty = penalty == "gan" ? WaePenalty.Gan : WaePenalty.Mmd };
        o = o.WithTraining(t => t with { LearningRate = conv ? 3e-3f : 1e-3f });
        var model = AutoencoderModel.Create(o);
        var results = new Trainer(model).Train(AutoencoderTestData.Threes(), 0, conv ? 6 : 10);
        int recon = model.TermNames.ToList().IndexOf("recon");
        Assert.True(recon >= 0);
        double first = results[0].Terms[recon], last = results[^1].Terms[recon];
        Assert.True(last < 0.95 * first, $"{kind} recon went from {first} to {last}");
        Assert.All(results, r => Assert.All(r.Terms, t => Assert.True(double.IsFinite(t))));
        Assert.All(results, r =>
        {
            Assert.InRange(r.TrainSeconds, 1e-9, r.Seconds);                  // the steps are part of the epoch
            Assert.Equal(r.Images / r.TrainSeconds, r.ImagesPerSecond, 9);     // throughput of the steps alone
        });
    }

    [Fact]
    public void DefaultVaeIsThePeersConvVae()
    {
        var vae = AutoencoderModel.Create(AutoencoderOptions.ForKind(AutoencoderKind.Vae, 20));
        Assert.Equal(358_185, vae.Encoder.ParameterCount() + vae.Decoder.ParameterCount());
        var peer = new ConvVae(new Rng(0));
        Assert.Equal(peer.Encoder.NamedParameters().Select(p => p.Tensor.ShapeArray()), vae.Encoder.Net.NamedParameters().Select(p => p.Tensor.ShapeArray()));
        Assert.Equal(peer.Decoder.NamedParameters().Select(p => p.Tensor.ShapeArray()), vae.Decoder.Net.NamedParameters().Select(p => p.Tensor.ShapeArray()));
    }

    [Fact]
    public void DefaultAaeIsTheSeedsShape()
    {
        // encoder: three conv and two dense layers; decoder: one dense and four conv layers; batch norm
        var aae = (Aae)AutoencoderModel.Create(AutoencoderOptions.ForKind(AutoencoderKind.Aae, 10));
        Assert.Equal(3, aae.Encoder.Net.Layers.Count(l => l is Latent.Nn.Layers.Conv2d));
        Assert.Equal(2, aae.Encoder.Net.Layers.Count(l => l is Latent.Nn.Layers.Linear));
        Assert.Equal(1, aae.Decoder.Net.Layers.Count(l => l is Latent.Nn.Layers.Linear));
        Assert.Equal(4, aae.Decoder.Net.Layers.Count(l => l is Latent.Nn.Layers.ConvTranspose2d));
        Assert.Contains(aae.Encoder.Net.Layers, l => l is Latent.Nn.Layers.BatchNorm2d);
        Assert.Contains(aae.Discriminator.Net.Layers, l => l is Latent.Nn.Layers.SpectralNorm);
        using var _ = GradMode.Disable();
        aae.Eval();
        var x = new Tensor(2, 1, 28, 28);
        Assert.Equal([2, 1, 28, 28], aae.Forward(x).ShapeArray());
    }

    [Fact]
    public void DivergenceStopsWithAClearMessageAndKeepsTheLastGoodCheckpoint()
    {
        using var dir = new TempDir();
        string path = dir.File("m.safetensors");
        var good = AutoencoderModel.Create(AutoencoderTestData.Dense(AutoencoderKind.Ae));
        new Trainer(good) { CheckpointPath = path }.Train(AutoencoderTestData.Threes(), 0, 1);
        byte[] before = File.ReadAllBytes(path);
        var bad = AutoencoderModel.Create(AutoencoderTestData.Dense(AutoencoderKind.Ae).WithTraining(t => t with { LearningRate = 1e4f }));
        var e = Assert.Throws<TrainingDivergedException>(() =>
            new Trainer(bad) { CheckpointPath = path, ExplodeFactor = 3 }.Train(AutoencoderTestData.Threes(), 1, 20));
        Assert.Contains("diverged", e.Message, StringComparison.Ordinal);
        Assert.Contains("recon", e.Message, StringComparison.Ordinal);
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(path));
    }

    [Fact]
    public void TrainingRefusesImagesOfTheWrongSizeAndNaNPixels()
    {
        var model = AutoencoderModel.Create(AutoencoderTestData.Dense(AutoencoderKind.Vae));
        var wrong = new Latent.Models.Samples(new float[10 * 100], 10, 100);
        Assert.Contains("28x28 images (784 values)", Assert.Throws<ArgumentException>(() => new Trainer(model).Train(wrong, 0, 1)).Message, StringComparison.Ordinal);
        var x = AutoencoderTestData.Threes();
        var px = (float[])x.X.Clone();
        px[5] = float.NaN;
        Assert.Contains("NaN", Assert.Throws<ArgumentException>(() => new Trainer(model).Train(new Latent.Models.Samples(px, x.Count, x.Dim), 0, 1)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MmdMatchesANaiveDoubleOracle()
    {
        var rng = new Rng(3);
        int n = 6, z = 3;
        var p = rng.NormalTensor(n, z).Clone();
        var q = (rng.NormalTensor(n, z) + 0.5f).Clone();
        double expected = 0;
        foreach (double s in new[] { 0.1, 0.2, 0.5, 1, 2, 5, 10 })
        {
            double c = s * 2 * z;
            double K(Tensor a, int i, Tensor b, int j)
            {
                double d = 0;
                for (int k = 0; k < z; k++) d += Math.Pow(a.At(i, k) - b.At(j, k), 2);
                return c / (c + d);
            }
            double pp = 0, qq = 0, pq = 0;
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++)
                {
                    if (i != j) { pp += K(p, i, p, j); qq += K(q, i, q, j); }
                    pq += K(p, i, q, j);
                }
            expected += (pp + qq) / (n * (n - 1)) - 2 * pq / (n * n);
        }
        Assert.Equal(expected, Mmd.InverseMultiquadric(p, q).Item(), 4);
    }
}

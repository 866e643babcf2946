// The convolutional engine against PyTorch 1.13 (tests/Latent.Tests/Fixtures/Conv/torch_conv.bin, written by
// scripts/make_conv_fixtures.py): Conv2d, ConvTranspose2d, BatchNorm2d/1d in train and eval mode and spectral norm,
// forward and all gradients (the 1 x 1 convolution from torch_conv_k1.bin, scripts/make_conv_k1_fixture.py); and one
// whole training step of the exact ConvVAE from PyTorch's initial weights.
using Latent.Replicas;
using Latent.Nn.Layers;
using Latent.Tensors;
using Latent.Tensors.Ops;

namespace Latent.Tests.Nn;

public class ConvTorchFixtureTests
{
    private static readonly Lazy<Dictionary<string, Tensor>> Entries =
        new(() => TorchFixture.Load(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Conv", "torch_conv.bin")));

    private static readonly Lazy<Dictionary<string, Tensor>> K1Entries =
        new(() => TorchFixture.Load(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Conv", "torch_conv_k1.bin")));

    private static Tensor Get(string name) =>
        Entries.Value.TryGetValue(name, out Tensor? t) ? t : throw new KeyNotFoundException($"Fixture entry '{name}' is missing; rerun scripts/make_conv_fixtures.py.");

    private static Tensor Param(string name)
    {
        Tensor src = Get(name);
        var t = new Tensor(src.ShapeArray()) { RequiresGrad = true };
        src.Data.CopyTo(t.Data);
        return t;
    }

    private static void Close(string name, Tensor? actual, float tol = 1e-5f)
    {
        Assert.NotNull(actual);
        TorchFixture.AssertClose(Get(name), actual!.Data, tol, name);
    }

    private static void Backward(Tensor y, string c) => Tensor.Multiply(y, Get($"{c}.w")).Sum().Backward();

    [Theory]
    [InlineData("conv2d", 2, 1, true)]
    [InlineData("conv2d_k4", 2, 1, false)]
    public void Conv2dMatchesPyTorch(string c, int stride, int padding, bool bias)
    {
        Tensor x = Param($"{c}.x"), w = Param($"{c}.W");
        Tensor? b = bias ? Param($"{c}.b") : null;
        Tensor y = ConvOps.Conv2d(x, w, b, stride, padding);
        Close($"{c}.y", y);
        Backward(y, c);
        Close($"{c}.dx", x.Grad); Close($"{c}.dW", w.Grad);
        if (b is not null) Close($"{c}.db", b.Grad);
    }

    [Fact]
    public void PointwiseConv2dMatchesPyTorch()
    {
        // Fixtures/Conv/torch_conv_k1.bin (scripts/make_conv_k1_fixture.py): a 1 x 1 convolution large enough for ConvPointwise.
        Dictionary<string, Tensor> k1 = K1Entries.Value;
        Tensor P(string name)
        {
            var t = new Tensor(k1[name].ShapeArray()) { RequiresGrad = true };
            k1[name].Data.CopyTo(t.Data);
            return t;
        }
        Tensor x = P("conv2d_k1.x"), w = P("conv2d_k1.W"), b = P("conv2d_k1.b");
        Assert.True(Latent.Tensors.Kernels.ConvPointwise.Applies(Latent.Tensors.Kernels.ConvShape.Conv(2, 64, 5, 16, 16, 1, 1)));
        Tensor y = ConvOps.Conv2d(x, w, b, 1, 0);
        TorchFixture.AssertClose(k1["conv2d_k1.y"], y.Data, 1e-5f, "conv2d_k1.y");
        Tensor.Multiply(y, k1["conv2d_k1.w"]).Sum().Backward();
        TorchFixture.AssertClose(k1["conv2d_k1.dx"], x.Grad!.Data, 1e-5f, "conv2d_k1.dx");
        TorchFixture.AssertClose(k1["conv2d_k1.dW"], w.Grad!.Data, 1e-5f, "conv2d_k1.dW");
        TorchFixture.AssertClose(k1["conv2d_k1.db"], b.Grad!.Data, 1e-5f, "conv2d_k1.db");
    }

    [Theory]
    [InlineData("convT", 2, 1, 1)]
    [InlineData("convT_k4", 2, 1, 0)]
    public void ConvTranspose2dMatchesPyTorch(string c, int stride, int padding, int outputPadding)
    {
        Tensor x = Param($"{c}.x"), w = Param($"{c}.W"), b = Param($"{c}.b");
        Tensor y = ConvOps.ConvTranspose2d(x, w, b, stride, padding, outputPadding);
        Close($"{c}.y", y);
        Backward(y, c);
        Close($"{c}.dx", x.Grad); Close($"{c}.dW", w.Grad); Close($"{c}.db", b.Grad);
    }

    [Theory]
    [InlineData("bn2d_train", true)]
    [InlineData("bn2d_eval", false)]
    [InlineData("bn1d_train", true)]
    public void BatchNormMatchesPyTorch(string c, bool training)
    {
        Tensor x = Param($"{c}.x");
        BatchNormBase bn = x.Rank == 4 ? new BatchNorm2d(x.Dim(1)) : new BatchNorm1d(x.Dim(1));
        Get($"{c}.gamma").Data.CopyTo(bn.Weight!.Data); Get($"{c}.beta").Data.CopyTo(bn.Bias!.Data);
        Get($"{c}.rm0").Data.CopyTo(bn.RunningMean.Data); Get($"{c}.rv0").Data.CopyTo(bn.RunningVar.Data);
        bn.Train(training);
        Tensor y = bn.Forward(x);
        Close($"{c}.y", y, 1e-4f);
        Close($"{c}.rm1", bn.RunningMean); Close($"{c}.rv1", bn.RunningVar);
        Backward(y, c);
        Close($"{c}.dx", x.Grad, 1e-4f); Close($"{c}.dgamma", bn.Weight.Grad, 1e-4f); Close($"{c}.dbeta", bn.Bias.Grad, 1e-4f);
    }

    [Theory]
    [InlineData("sn_conv")]
    [InlineData("sn_convT")]
    public void SpectralNormMatchesPyTorch(string c)
    {
        Tensor w0 = Get($"{c}.W");
        var rng = new Rng(1);
        Latent.Nn.Module layer = c == "sn_conv"
            ? new Conv2d(w0.Dim(1), w0.Dim(0), w0.Dim(2), rng, 2, 1)
            : new ConvTranspose2d(w0.Dim(0), w0.Dim(1), w0.Dim(2), rng, 2, 1);
        var sn = new SpectralNorm(layer, rng);
        w0.Data.CopyTo(sn.WeightOrig.Data);
        Tensor bias = sn.NamedParameters().Single(p => p.Name == "bias").Tensor;
        Get($"{c}.b").Data.CopyTo(bias.Data);
        Get($"{c}.u0").Data.CopyTo(sn.U.Data); Get($"{c}.v0").Data.CopyTo(sn.V.Data);
        Tensor x = Param($"{c}.x");
        Tensor y = sn.Forward(x);
        Close($"{c}.u1", sn.U); Close($"{c}.v1", sn.V);
        Close($"{c}.y", y, 1e-4f);
        Backward(y, c);
        Close($"{c}.dx", x.Grad, 1e-4f); Close($"{c}.dW", sn.WeightOrig.Grad, 1e-4f); Close($"{c}.db", bias.Grad, 1e-4f);
    }

    [Fact]
    public void TorchRandomReplaysPyTorchsRandpermAndRandn()
    {
        var torch = new TorchRandom(5);
        var perm = new int[100];
        torch.Permutation(perm);
        Assert.Equal(Get("torch.randperm100").ToArray().Select(v => (int)v), perm);
        var z = new float[115 * 20];
        torch.Normal(z);
        TorchFixture.AssertClose(Get("torch.randn115x20"), z, 1e-6f, "randn");
    }

    [Fact]
    public void ConvVaeTrainingStepMatchesPyTorch()
    {
        var vae = new ConvVae(new Rng(123));
        Assert.Equal(358_185, vae.ParameterCount());
        new TorchRandom(0).ApplyDefaultInit(vae); // PyTorch's weights after torch.manual_seed(0), regenerated bit-exactly
        foreach ((string name, Tensor p) in vae.NamedParameters())
        {
            float[] init = Get($"vae.init.{name}").ToArray();
            double sum = 0;
            foreach (float v in p.Data) sum += v;
            Assert.Equal(init[0], sum, Math.Max(1e-3, 1e-5 * Math.Abs(init[0])));
            for (int i = 0; i < init.Length - 2; i++) Assert.Equal(init[2 + i], p.Data[i]); // bit-exact
        }
        Tensor x = Get("vae.x"), eps = Get("vae.eps");
        (Tensor mu, Tensor logVar) = vae.Encode(x);
        Close("vae.mu", mu, 1e-4f);
        Tensor logits = vae.Decode(ConvVae.Reparameterize(mu, logVar, eps));
        Tensor loss = Latent.Nn.Losses.Loss.BceWithLogits(logits, x, Latent.Nn.Losses.Reduction.BatchMean)
            + Latent.Nn.Losses.Loss.GaussianKl(mu, logVar, Latent.Nn.Losses.Reduction.BatchMean);
        float[] sampled = [.. Enumerable.Range(0, Get("vae.logits_sample").Length).Select(i => logits.Data[i * 97])];
        TorchFixture.AssertClose(Get("vae.logits_sample"), sampled, 1e-4f, "logits");
        Assert.Equal(Get("vae.loss").Data[0], loss.Item(), 1e-5f * Get("vae.loss").Data[0]);
        loss.Backward();
        foreach ((string name, Tensor p) in vae.NamedParameters())
        {
            Assert.NotNull(p.Grad);
            ReadOnlySpan<float> g = p.Grad!.Data;
            float[] expected = Get($"vae.grad.{name}.sample").ToArray();
            float scale = expected.Max(MathF.Abs);
            int s = expected.Length;
            for (int j = 0; j < s; j++)
            {
                float a = g[(int)((long)j * g.Length / s)];
                Assert.True(Math.Abs(a - expected[j]) <= 1e-4f * scale + 1e-7f, $"{name} gradient sample {j}: PyTorch {expected[j]}, Latent {a} (max |g| {scale})");
            }
            float[] stats = Get($"vae.grad.{name}.stats").ToArray();
            double sum = 0, sq = 0, abs = 0;
            foreach (float v in g) { sum += v; sq += (double)v * v; abs += Math.Abs(v); }
            Assert.True(Math.Abs(sq - stats[1]) <= 1e-4 * stats[1], $"{name}: sum of squared gradients {sq}, PyTorch {stats[1]}");
            Assert.True(Math.Abs(abs - stats[2]) <= 1e-4 * stats[2], $"{name}: sum of |gradient| {abs}, PyTorch {stats[2]}");
            Assert.True(Math.Abs(sum - stats[0]) <= 1e-4 * stats[2] + 1e-6, $"{name}: gradient sum {sum}, PyTorch {stats[0]}");
        }
    }
}

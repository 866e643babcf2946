// Central-difference gradient checks for every convolutional-engine layer (input and every parameter), including
// stride 2, odd sizes, output padding and batch size 1; parameter names, PyTorch default init bounds, train/eval
// behaviour of batch norm and the shape errors.
using Latent.Nn;
using Latent.Nn.Layers;
using Latent.Tensors;
using Latent.Tests.Tensors;

namespace Latent.Tests.Nn;

public class ConvLayerTests
{
    /// <summary>Gradient check of module(x) with respect to x and every parameter.</summary>
    private static void CheckLayer(Module m, params int[] inputShape)
    {
        var rng = new Rng(11);
        Tensor x = GradCheck.Param(GradCheck.Random(rng, inputShape));
        Tensor[] ps = [x, .. m.Parameters()];
        GradCheck.Check(t => m.Forward(t[0]), ps);
    }

    [Theory]
    [InlineData(1, 2, 3, 3, 1, 1, 7, 5)]
    [InlineData(2, 3, 2, 3, 2, 1, 7, 7)]
    [InlineData(1, 1, 4, 4, 2, 1, 6, 6)]
    public void Conv2dGradients(int n, int c, int f, int k, int s, int p, int h, int w) =>
        CheckLayer(new Conv2d(c, f, k, new Rng(1), s, p), n, c, h, w);

    [Theory]
    [InlineData(1, 2, 3, 3, 1, 1, 0, 4, 5)]
    [InlineData(2, 3, 2, 3, 2, 1, 1, 3, 3)]
    [InlineData(1, 2, 1, 4, 2, 1, 0, 3, 4)]
    public void ConvTranspose2dGradients(int n, int c, int f, int k, int s, int p, int op, int h, int w) =>
        CheckLayer(new ConvTranspose2d(c, f, k, new Rng(2), s, p, op), n, c, h, w);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void BatchNormGradients(bool training)
    {
        var bn2 = new BatchNorm2d(3);
        var bn1 = new BatchNorm1d(5);
        var rng = new Rng(5);
        foreach (BatchNormBase bn in new BatchNormBase[] { bn2, bn1 })
        {
            rng.Uniform(bn.Weight!.Data, 0.5f, 1.5f);
            rng.Uniform(bn.Bias!.Data, -0.5f, 0.5f);
            rng.Uniform(bn.RunningMean.Data, -0.5f, 0.5f);
            rng.Uniform(bn.RunningVar.Data, 0.5f, 1.5f);
            bn.Train(training);
        }
        // Training forwards move the running statistics, which the output does not depend on in training mode.
        CheckLayer(bn2, 2, 3, 3, 3);
        CheckLayer(bn1, 4, 5);
        CheckLayer(bn1, 2, 5, 4);
    }

    [Fact]
    public void PoolUpsampleFlattenGradients()
    {
        CheckLayer(new AvgPool2d(2), 1, 2, 5, 4);
        CheckLayer(new Upsample(2), 2, 1, 3, 2);
        CheckLayer(new Sequential(new Flatten(), new Linear(12, 3, new Rng(3)), new Unflatten(3, 1, 1)), 2, 3, 2, 2);
    }

    [Theory]
    [InlineData("conv")]
    [InlineData("convT")]
    [InlineData("linear")]
    public void SpectralNormGradients(string kind)
    {
        var rng = new Rng(4);
        Module layer = kind switch
        {
            "conv" => new Conv2d(2, 3, 3, rng, 2, 1),
            "convT" => new ConvTranspose2d(2, 3, 3, rng, 2, 1, 1),
            _ => new Linear(4, 3, rng),
        };
        var sn = new SpectralNorm(layer, rng);
        for (int i = 0; i < 30; i++) sn.NormalisedWeight(); // converge u, v so sigma is the top singular value
        sn.Eval(); // fixed u, v: the function the gradient check differentiates does not move between probes
        int[] shape = kind == "linear" ? [2, 4] : [1, 2, 4, 3];
        CheckLayer(sn, shape);
    }

    [Fact]
    public void SpectralNormConvergesToTheLargestSingularValue()
    {
        var rng = new Rng(6);
        var lin = new Linear(5, 4, rng, bias: false);
        var sn = new SpectralNorm(lin, rng);
        Tensor w = null!;
        for (int i = 0; i < 200; i++) w = sn.NormalisedWeight();
        // The normalised weight has spectral norm 1: its power iteration on W_sn W_sn^T converges to 1.
        double[] x = [1, 0.3, -0.2, 0.5, 0.1];
        double norm = 0;
        for (int it = 0; it < 500; it++)
        {
            var y = new double[4];
            for (int r = 0; r < 4; r++) for (int c = 0; c < 5; c++) y[r] += w.Data[r * 5 + c] * x[c];
            var z = new double[5];
            for (int c = 0; c < 5; c++) for (int r = 0; r < 4; r++) z[c] += w.Data[r * 5 + c] * y[r];
            norm = Math.Sqrt(z.Sum(t => t * t));
            for (int c = 0; c < 5; c++) x[c] = z[c] / norm;
        }
        Assert.Equal(1.0, Math.Sqrt(norm), 1e-4);
    }

    [Fact]
    public void NamesAndInitMatchPyTorch()
    {
        var rng = new Rng(7);
        var net = new Sequential(new Conv2d(1, 4, 3, rng), new BatchNorm2d(4), new SpectralNorm(new ConvTranspose2d(4, 2, 3, rng), rng));
        string[] names = [.. net.StateTensors().Select(t => t.Name)];
        Assert.Equal(["0.weight", "0.bias", "1.weight", "1.bias", "1.running_mean", "1.running_var",
            "2.weight_orig", "2.bias", "2.weight_u", "2.weight_v"], names);
        Assert.Equal(["0.weight", "0.bias", "1.weight", "1.bias", "2.weight_orig", "2.bias"], net.NamedParameters().Select(t => t.Name));
        var convT = new ConvTranspose2d(64, 32, 3, rng);
        float bound = 1f / MathF.Sqrt(32 * 9); // fan_in from the weight's second axis, as PyTorch
        Assert.All(convT.Weight.ToArray(), v => Assert.InRange(v, -bound, bound));
        Assert.True(convT.Weight.ToArray().Max() > 0.9f * bound);
    }

    [Fact]
    public void BatchNormTrainUpdatesRunningStatsAndEvalUsesThem()
    {
        var bn = new BatchNorm2d(2);
        var x = new Tensor(new float[] { 1, 2, 3, 4, 5, 6, 7, 8 }, 2, 2, 1, 2);
        bn.Forward(x);
        // channel 0 values 1,2,5,6: mean 3.5, unbiased var 17/3
        Assert.Equal(0.35f, bn.RunningMean.Data[0], 1e-6f);
        Assert.Equal(0.9f + 0.1f * 17f / 3f, bn.RunningVar.Data[0], 1e-5f);
        bn.Eval();
        Tensor y = bn.Forward(x);
        Assert.Equal((1 - 0.35f) / MathF.Sqrt(0.9f + 0.1f * 17f / 3f + 1e-5f), y.Data[0], 1e-5f);
    }

    [Fact]
    public void BadInputsAreNamedErrors()
    {
        var rng = new Rng(8);
        Assert.Contains("3 channels", Assert.Throws<ArgumentException>(() => new Conv2d(2, 4, 3, rng).Forward(new Tensor(1, 3, 5, 5))).Message, StringComparison.Ordinal);
        Assert.Contains("output padding", Assert.Throws<ArgumentOutOfRangeException>(() => new ConvTranspose2d(2, 4, 3, rng, 2, 1, 2)).Message, StringComparison.Ordinal);
        Assert.Contains("BatchNorm1d", Assert.Throws<ArgumentException>(() => new BatchNorm2d(3).Forward(new Tensor(2, 3))).Message, StringComparison.Ordinal);
        Assert.Contains("(N, 12)", Assert.Throws<ArgumentException>(() => new Unflatten(3, 2, 2).Forward(new Tensor(2, 10))).Message, StringComparison.Ordinal);
        Assert.Contains("SpectralNorm wraps", Assert.Throws<ArgumentException>(() => new SpectralNorm(new BatchNorm2d(2), rng)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BadLayerSizesAreErrorsNamingTheLayer()
    {
        var rng = new Rng(8);
        Assert.StartsWith("Conv2d needs positive channels, kernel and stride and non-negative padding, got in 2, out 4, kernel 3, stride 0, padding 1.",
            Assert.Throws<ArgumentOutOfRangeException>(() => new Conv2d(2, 4, 3, rng, 0, 1)).Message, StringComparison.Ordinal);
        Assert.StartsWith("ConvTranspose2d needs positive channels, kernel and stride and non-negative padding, got in 0, out 4, kernel 3, stride 2, padding 1.",
            Assert.Throws<ArgumentOutOfRangeException>(() => new ConvTranspose2d(0, 4, 3, rng, 2, 1)).Message, StringComparison.Ordinal);
        Assert.StartsWith("Linear needs positive sizes, got In=3, Out=0.", Assert.Throws<ArgumentOutOfRangeException>(() => new Linear(3, 0, rng)).Message, StringComparison.Ordinal);
        Assert.Null(new Conv2d(2, 4, 3, rng, bias: false).Bias);
        Assert.Equal(["weight"], new ConvTranspose2d(2, 4, 3, rng, bias: false).NamedParameters().Select(p => p.Name));
    }
}

// BatchNorm kernel: forward against a naive double-precision formula, running statistics, and central-difference
// gradients for x, gamma and beta in train and eval mode, for BatchNorm2d (S > 1) and BatchNorm1d (S = 1).
using Latent.Tensors.Kernels;

namespace Latent.Tests.Tensors;

public class BatchNormKernelTests
{
    [Theory]
    [InlineData(3, 2, 5)]
    [InlineData(4, 3, 1)]
    [InlineData(1, 2, 6)]
    public void TrainForwardMatchesFormulaAndUpdatesRunningStats(int n, int c, int s)
    {
        float[] x = ConvKernelTests.Random(n * c * s, 1), gamma = ConvKernelTests.Random(c, 2), beta = ConvKernelTests.Random(c, 3);
        float[] rm = [.. Enumerable.Repeat(0.5f, c)], rv = [.. Enumerable.Repeat(2f, c)];
        var y = new float[x.Length];
        float[] mean = new float[c], invStd = new float[c];
        BatchNormKernel.ForwardTrain(x, gamma, beta, rm, rv, y, mean, invStd, n, c, s, 0.1f, 1e-5f);
        for (int j = 0; j < c; j++)
        {
            var vals = new List<double>();
            for (int i = 0; i < n; i++) for (int t = 0; t < s; t++) vals.Add(x[(i * c + j) * s + t]);
            double mu = vals.Average(), var = vals.Sum(v => (v - mu) * (v - mu)) / vals.Count;
            Assert.Equal(0.9 * 0.5 + 0.1 * mu, rm[j], 1e-5);
            Assert.Equal(0.9 * 2 + 0.1 * var * vals.Count / (vals.Count - 1), rv[j], 1e-5);
            for (int i = 0; i < n; i++)
                for (int t = 0; t < s; t++)
                {
                    int o = (i * c + j) * s + t;
                    Assert.Equal(gamma[j] * (x[o] - mu) / Math.Sqrt(var + 1e-5) + beta[j], y[o], 1e-4);
                }
        }
    }

    [Theory]
    [InlineData(3, 2, 5, true)]
    [InlineData(5, 3, 1, true)]
    [InlineData(2, 2, 3, false)]
    [InlineData(4, 3, 1, false)]
    public void GradientsMatchCentralDifferences(int n, int c, int s, bool train)
    {
        float[] x = ConvKernelTests.Random(n * c * s, 4), gamma = ConvKernelTests.Random(c, 5), beta = ConvKernelTests.Random(c, 6);
        float[] rm = ConvKernelTests.Random(c, 7), rv = [.. ConvKernelTests.Random(c, 8).Select(v => v + 1.5f)];
        float[] r = ConvKernelTests.Random(x.Length, 9);
        float[] mean = new float[c], invStd = new float[c];
        float[] Fwd()
        {
            var y = new float[x.Length];
            if (train) BatchNormKernel.ForwardTrain(x, gamma, beta, default, default, y, mean, invStd, n, c, s, 0.1f, 1e-5f);
            else BatchNormKernel.ForwardEval(x, gamma, beta, rm, rv, y, n, c, s, 1e-5f);
            return y;
        }
        Fwd();
        if (!train) { rm.CopyTo(mean, 0); for (int j = 0; j < c; j++) invStd[j] = 1f / MathF.Sqrt(rv[j] + 1e-5f); }
        float[] dx = new float[x.Length], dg = new float[c], db = new float[c];
        BatchNormKernel.Backward(x, gamma, mean, invStd, r, dx, dg, db, n, c, s, train);
        KernelGradCheck.Check(x, Fwd, r, dx, "dX", 1e-2f, 3e-2f);
        KernelGradCheck.Check(gamma, Fwd, r, dg, "dGamma");
        KernelGradCheck.Check(beta, Fwd, r, db, "dBeta");
    }

    [Fact]
    public void SingleValuePerChannelInTrainingIsANamedError()
    {
        var ex = Assert.Throws<ArgumentException>(() =>
            BatchNormKernel.ForwardTrain(new float[3], default, default, default, default, new float[3], new float[3], new float[3], 1, 3, 1, 0.1f, 1e-5f));
        Assert.Contains("more than one value per channel", ex.Message, StringComparison.Ordinal);
    }
}

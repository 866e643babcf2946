// MaxPool2d, AvgPool2d and nearest Upsample kernels: forward against naive loops and central-difference gradients.
using Latent.Tensors.Kernels;

namespace Latent.Tests.Tensors;

public class PoolKernelTests
{
    [Theory]
    [InlineData(2, 3, 6, 5, 2, 2, 0)]
    [InlineData(1, 2, 7, 7, 3, 2, 1)]
    public void MaxPoolMatchesNaiveAndCentralDifferences(int n, int c, int h, int w, int k, int s, int p)
    {
        var g = ConvShape.Conv(n, c, c, h, w, k, k, s, p);
        float[] x = ConvKernelTests.Random(g.InputLength, 1), r = ConvKernelTests.Random(g.OutputLength, 2);
        var idx = new int[g.OutputLength];
        float[] Fwd() { var y = new float[g.OutputLength]; MaxPool2dKernel.Forward(x, y, idx, g); return y; }
        float[] y0 = Fwd();
        for (int pl = 0; pl < n * c; pl++)
            for (int i = 0; i < g.OutHeight; i++)
                for (int j = 0; j < g.OutWidth; j++)
                {
                    float best = float.NegativeInfinity;
                    for (int a = i * s - p; a < i * s - p + k; a++)
                        for (int b = j * s - p; b < j * s - p + k; b++)
                            if (a >= 0 && a < h && b >= 0 && b < w) best = Math.Max(best, x[pl * h * w + a * w + b]);
                    Assert.Equal(best, y0[(pl * g.OutHeight + i) * g.OutWidth + j]);
                }
        var dx = new float[x.Length];
        MaxPool2dKernel.Backward(r, idx, dx, g);
        KernelGradCheck.Check(x, Fwd, r, dx, "dX", 1e-3f);
    }

    [Theory]
    [InlineData(2, 3, 6, 5, 2, 2, 0)]
    [InlineData(1, 2, 7, 7, 3, 2, 1)]
    public void AvgPoolMatchesNaiveAndCentralDifferences(int n, int c, int h, int w, int k, int s, int p)
    {
        var g = ConvShape.Conv(n, c, c, h, w, k, k, s, p);
        float[] x = ConvKernelTests.Random(g.InputLength, 3), r = ConvKernelTests.Random(g.OutputLength, 4);
        float[] Fwd() { var y = new float[g.OutputLength]; AvgPool2dKernel.Forward(x, y, g); return y; }
        float[] y0 = Fwd();
        for (int pl = 0; pl < n * c; pl++)
            for (int i = 0; i < g.OutHeight; i++)
                for (int j = 0; j < g.OutWidth; j++)
                {
                    double sum = 0;
                    for (int a = i * s - p; a < i * s - p + k; a++)
                        for (int b = j * s - p; b < j * s - p + k; b++)
                            if (a >= 0 && a < h && b >= 0 && b < w) sum += x[pl * h * w + a * w + b];
                    Assert.Equal(sum / (k * k), y0[(pl * g.OutHeight + i) * g.OutWidth + j], 1e-5);
                }
        var dx = new float[x.Length];
        AvgPool2dKernel.Backward(r, dx, g);
        KernelGradCheck.Check(x, Fwd, r, dx, "dX");
    }

    [Fact]
    public void UpsampleNearestMatchesNaiveAndCentralDifferences()
    {
        int planes = 3, h = 2, w = 3, sc = 2;
        float[] x = ConvKernelTests.Random(planes * h * w, 5), r = ConvKernelTests.Random(planes * h * w * sc * sc, 6);
        float[] Fwd() { var y = new float[r.Length]; UpsampleKernel.Forward(x, y, planes, h, w, sc); return y; }
        float[] y0 = Fwd();
        for (int pl = 0; pl < planes; pl++)
            for (int i = 0; i < h * sc; i++)
                for (int j = 0; j < w * sc; j++)
                    Assert.Equal(x[pl * h * w + i / sc * w + j / sc], y0[(pl * h * sc + i) * w * sc + j]);
        var dx = new float[x.Length];
        UpsampleKernel.Backward(r, dx, planes, h, w, sc);
        KernelGradCheck.Check(x, Fwd, r, dx, "dX");
    }

    [Fact]
    public void PoolWithChannelChangeIsANamedError()
    {
        var g = ConvShape.Conv(1, 2, 3, 4, 4, 2, 2, 2, 0);
        var ex = Assert.Throws<ArgumentException>(() => AvgPool2dKernel.Forward(new float[32], new float[12], g));
        Assert.Contains("same channels", ex.Message, StringComparison.Ordinal);
    }
}

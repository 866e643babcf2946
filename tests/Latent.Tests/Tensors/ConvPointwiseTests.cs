// The 1 x 1 stride-1 unpadded convolution over x as stored (ConvPointwise, dispatched by Conv2dKernel) against the
// naive direct loops of ConvKernelTests (forward, input, weight and bias gradients accumulating onto ones), on one and
// three threads; a central-difference gradient check through the kernels; the same bits on a second run; which
// shapes take the path; and a short span rejected before the kernel runs.
using Latent.Tensors.Kernels;
using Latent.Tests.Tensors.Threading;

namespace Latent.Tests.Tensors;

[Collection(WorkerPoolCollection.Name)]
public class ConvPointwiseTests
{
    public static IEnumerable<object[]> Shapes => new object[][]
    {
        // N, C, F, H, W
        new object[] { 3, 64, 64, 28, 28 },     // RealNVP's 1x1 conv at 28 x 28
        new object[] { 1, 16, 5, 32, 32 },      // batch 1, F not a multiple of the GEMM's tile rows
        new object[] { 5, 33, 7, 23, 22 },      // odd sizes (HW = 506, not a multiple of 8 or 16), more images than threads
        new object[] { 2, 40, 1, 19, 27 },      // one output channel
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void MatchesNaive(int n, int c, int f, int h, int w)
    {
        var g = ConvShape.Conv(n, c, f, h, w, 1, 1);
        Assert.True(ConvPointwise.Applies(g), "the shape should take the 1 x 1 kernels");
        ConvKernelTests.MatchesNaiveOnOneAndThreeThreads(g);
    }

    /// <summary>The case of the partial-gradient tests: x (2, 16, 32, 32), W (3, 16, 1, 1), dY (2, 3, 32, 32), and the
    /// naive loops' results for them with a zero bias.</summary>
    private static (ConvShape G, float[] X, float[] Wt, float[] Dy, (float[] y, float[] dx, float[] dw, float[] db) Naive) PartialCase()
    {
        var g = ConvShape.Conv(2, 16, 3, 32, 32, 1, 1);
        float[] x = ConvKernelTests.Random(g.InputLength, 5), wt = ConvKernelTests.Random(g.WeightLength, 6), dy = ConvKernelTests.Random(g.OutputLength, 7);
        return (g, x, wt, dy, ConvKernelTests.Naive(g, x, wt, new float[3], dy));
    }

    [Fact]
    public void NoBiasAndSkippedGradientsLeaveTheRestAlone()
    {
        var (g, x, wt, dy, (ey, edx, _, _)) = PartialCase();
        var y = new float[g.OutputLength];
        Conv2dKernel.Forward(x, wt, default, y, g);
        ConvKernelTests.Close(ey, y, "y without bias");
        var dx = new float[g.InputLength];
        Conv2dKernel.Backward(x, wt, dy, dx, default, default, g);                     // dX only
        ConvKernelTests.Close(edx, dx, "dX alone");
        var ex = Assert.Throws<ArgumentException>(() => Conv2dKernel.Backward(default, wt, dy, default, new float[g.WeightLength], default, g));
        Assert.Contains("x has 0 floats", ex.Message, StringComparison.Ordinal);       // dW needs x
    }

    [Fact]
    public void WeightGradientAloneNeedsX()
    {
        var (g, x, wt, dy, (_, _, edw, edb)) = PartialCase();
        var dw = new float[g.WeightLength];
        var db = new float[3];
        Conv2dKernel.Backward(x, wt, dy, default, dw, db, g);
        ConvKernelTests.Close(edw, dw, "dW alone");
        ConvKernelTests.Close(edb, db, "dB");
        var ex = Assert.Throws<ArgumentException>(() => Conv2dKernel.Backward(x.AsSpan(1), wt, dy, default, dw, default, g));
        Assert.Contains("x has", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GradientsMatchCentralDifferences()
    {
        // L = sum r * conv(x; w, b) with C HW = 16384 (the smallest image that takes the path at 16 channels).
        var g = ConvShape.Conv(2, 16, 2, 32, 32, 1, 1);
        float[] x = ConvKernelTests.Random(g.InputLength, 8), wt = ConvKernelTests.Random(g.WeightLength, 9), b = ConvKernelTests.Random(2, 10);
        float[] r = ConvKernelTests.Random(g.OutputLength, 11);
        float[] Fwd()
        {
            var y = new float[g.OutputLength];
            Conv2dKernel.Forward(x, wt, b, y, g);
            return y;
        }
        float[] dx = new float[x.Length], dw = new float[wt.Length], db = new float[2];
        Conv2dKernel.Backward(x, wt, r, dx, dw, db, g);
        KernelGradCheck.Check(wt, Fwd, r, dw, "dW", 1e-2f, 1e-2f);
        KernelGradCheck.Check(b, Fwd, r, db, "dB", 1e-2f, 1e-2f);
        // x: every 97th entry (each is a full forward pass), both images and every channel touched.
        for (int i = 0; i < x.Length; i += 97)
        {
            float keep = x[i];
            x[i] = keep + 1e-2f; double lp = Dot(Fwd(), r);
            x[i] = keep - 1e-2f; double lm = Dot(Fwd(), r);
            x[i] = keep;
            double numeric = (lp - lm) / 2e-2;
            Assert.True(Math.Abs(numeric - dx[i]) <= 1e-2 * (1 + Math.Abs(numeric)), $"dX[{i}]: numeric {numeric}, analytic {dx[i]}");
        }
    }

    [Fact]
    public void SameBitsOnASecondRun()
    {
        var g = ConvShape.Conv(6, 64, 64, 16, 16, 1, 1);
        ConvKernelTests.SameBitsOnASecondRun(g, 12);
    }

    [Fact]
    public void OnlyOneByOneStrideOneUnpaddedWholeImagesTakeThePath()
    {
        Assert.True(ConvPointwise.Applies(ConvShape.Conv(2, 64, 64, 16, 16, 1, 1)));          // HW = 256 at 64 channels
        Assert.False(ConvPointwise.Applies(ConvShape.Conv(2, 64, 64, 14, 14, 1, 1)));         // 196 pixels: grouped by the lowering
        Assert.False(ConvPointwise.Applies(ConvShape.Conv(2, 64, 64, 7, 7, 1, 1)));
        Assert.False(ConvPointwise.Applies(ConvShape.Conv(2, 4, 64, 28, 28, 1, 1)));          // 4 x 784 rows: grouped too
        Assert.False(ConvPointwise.Applies(ConvShape.Conv(2, 64, 64, 28, 28, 1, 1, 2, 0)));   // stride 2
        Assert.False(ConvPointwise.Applies(ConvShape.Conv(2, 64, 64, 28, 28, 1, 1, 1, 1)));   // padded
        Assert.False(ConvPointwise.Applies(ConvShape.Conv(2, 64, 64, 28, 28, 3, 3, 1, 1)));   // 3 x 3
        Assert.False(ConvPointwise.Applies(ConvShape.ConvTranspose(2, 64, 64, 28, 28, 1, 1)));
    }

    [Fact]
    public void AShortOutputIsRejectedBeforeTheKernelRuns()
    {
        var g = ConvShape.Conv(2, 64, 8, 16, 16, 1, 1);
        float[] x = new float[g.InputLength], wt = new float[g.WeightLength];
        var ex = Assert.Throws<ArgumentException>(() => Conv2dKernel.Forward(x, wt, default, new float[g.OutputLength - 1], g));
        Assert.Contains("y has", ex.Message, StringComparison.Ordinal);
    }

    private static double Dot(float[] a, float[] b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++) s += (double)a[i] * b[i];
        return s;
    }
}

// Conv2d and ConvTranspose2d kernels against naive direct loops (the oracles): forward, input, weight and
// bias gradients, strides 1-3, padding, output padding, odd sizes, batch size 1, non-square kernels.
using Latent.Tensors.Kernels;
using Latent.Tensors.Threading;

namespace Latent.Tests.Tensors;

public class ConvKernelTests
{
    internal static float[] Random(int n, int seed)
    {
        var rng = new Random(seed);
        var a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float)rng.NextDouble() * 2 - 1;
        return a;
    }

    /// <summary>Calls f(n, c, f, y, x, i, j, kh, kw, oy, ox) for every (output, input, kernel) triple of a conv, in bounds only.</summary>
    private static void ForEachTap(ConvShape g, Action<int, int, int, int, int, int, int, int> f)
    {
        // Conv: out (oy, ox), in (oy S - P + kh, ox S - P + kw). Transposed: in (i, j), out (i S - P + kh, j S - P + kw).
        int sH = g.Transposed ? g.InHeight : g.OutHeight, sW = g.Transposed ? g.InWidth : g.OutWidth;
        int bH = g.Transposed ? g.OutHeight : g.InHeight, bW = g.Transposed ? g.OutWidth : g.InWidth;
        for (int n = 0; n < g.Batch; n++)
            for (int c = 0; c < g.InChannels; c++)
                for (int o = 0; o < g.OutChannels; o++)
                    for (int i = 0; i < sH; i++)
                        for (int j = 0; j < sW; j++)
                            for (int kh = 0; kh < g.KernelHeight; kh++)
                                for (int kw = 0; kw < g.KernelWidth; kw++)
                                {
                                    int bi = i * g.Stride - g.Padding + kh, bj = j * g.Stride - g.Padding + kw;
                                    if (bi < 0 || bi >= bH || bj < 0 || bj >= bW) continue;
                                    int small = i * sW + j, big = bi * bW + bj, k = kh * g.KernelWidth + kw;
                                    f(n, c, o, small, big, k, 0, 0);
                                }
    }

    /// <summary>The forward and backward kernels (Conv2dKernel, or ConvTranspose2dKernel for a transposed shape) on
    /// 1 and 3 threads against the naive oracle; gradients accumulate onto ones.</summary>
    /// <summary>The shape of the test tables' rows: (transposed, N, C, F, H, W, KH, KW, S, P, OP), OP for the convT only.</summary>
    internal static ConvShape Shape(bool transposed, int n, int c, int f, int h, int w, int kh, int kw, int s, int p, int op) =>
        transposed ? ConvShape.ConvTranspose(n, c, f, h, w, kh, kw, s, p, op) : ConvShape.Conv(n, c, f, h, w, kh, kw, s, p);

    internal static void MatchesNaiveOnOneAndThreeThreads(ConvShape g)
    {
        float[] x = Random(g.InputLength, 1), wt = Random(g.WeightLength, 2);
        float[] b = Random(g.OutChannels, 3), dy = Random(g.OutputLength, 4);
        var (ey, edx, edw, edb) = Naive(g, x, wt, b, dy);
        int saved = KernelThreads.Count;
        try
        {
            foreach (int threads in new[] { 1, 3 })
            {
                KernelThreads.Count = threads;
                var (y, dx, dw, db) = Run(g, x, wt, b, dy);
                Close(ey, y, "y");
                Close([.. edx.Select(v => v + 1)], dx, "dX");
                Close([.. edw.Select(v => v + 1)], dw, "dW");
                Close([.. edb.Select(v => v + 1)], db, "dB");
            }
        }
        finally { KernelThreads.Count = saved; }
    }

    /// <summary>Forward and backward twice on 2 threads from the same inputs (seeds seed .. seed + 3) give the same bits.</summary>
    internal static void SameBitsOnASecondRun(ConvShape g, int seed)
    {
        float[] x = Random(g.InputLength, seed), wt = Random(g.WeightLength, seed + 1);
        float[] b = Random(g.OutChannels, seed + 2), dy = Random(g.OutputLength, seed + 3);
        int saved = KernelThreads.Count;
        try
        {
            KernelThreads.Count = 2;
            var first = Run(g, x, wt, b, dy);
            var second = Run(g, x, wt, b, dy);
            Assert.Equal(first.y, second.y);
            Assert.Equal(first.dx, second.dx);
            Assert.Equal(first.dw, second.dw);
            Assert.Equal(first.db, second.db);
        }
        finally { KernelThreads.Count = saved; }
    }

    /// <summary>y of the forward kernel and dX, dW, dB of the backward one, the gradients accumulated onto ones.</summary>
    /// <summary>The forward without bias, then the backward with each subset <paramref name="masks"/> of {dX = 1, dW = 2,
    /// dB = 4} asked for, accumulating onto ones, against the naive loops: a part not asked for stays ones.</summary>
    internal static void BackwardSubsetsMatchNaive(ConvShape g, IEnumerable<int> masks, int seed)
    {
        float[] x = Random(g.InputLength, seed), wt = Random(g.WeightLength, seed + 1);
        float[] dy = Random(g.OutputLength, seed + 2), zeroBias = new float[g.OutChannels];
        var (ey, edx, edw, edb) = Naive(g, x, wt, zeroBias, dy);
        var y = new float[g.OutputLength];
        if (g.Transposed) ConvTranspose2dKernel.Forward(x, wt, default, y, g);
        else Conv2dKernel.Forward(x, wt, default, y, g);
        Close(ey, y, "y without bias");
        foreach (int mask in masks)
        {
            float[] dx = Ones(g.InputLength), dw = Ones(g.WeightLength), db = Ones(g.OutChannels);
            Span<float> sx = (mask & 1) != 0 ? dx : default, sw = (mask & 2) != 0 ? dw : default, sb = (mask & 4) != 0 ? db : default;
            if (g.Transposed) ConvTranspose2dKernel.Backward(x, wt, dy, sx, sw, sb, g);
            else Conv2dKernel.Backward(x, wt, dy, sx, sw, sb, g);
            Close((mask & 1) != 0 ? [.. edx.Select(v => v + 1)] : Ones(g.InputLength), dx, $"dX (subset {mask})");
            Close((mask & 2) != 0 ? [.. edw.Select(v => v + 1)] : Ones(g.WeightLength), dw, $"dW (subset {mask})");
            Close((mask & 4) != 0 ? [.. edb.Select(v => v + 1)] : Ones(g.OutChannels), db, $"dB (subset {mask})");
            if ((mask & 1) == 0) continue;
            // A first gradient (writeDx): dX written over NaN, whatever path the shape takes; dW and dB still add.
            dx = [.. Enumerable.Repeat(float.NaN, g.InputLength)]; dw = Ones(g.WeightLength); db = Ones(g.OutChannels);
            sw = (mask & 2) != 0 ? dw : default; sb = (mask & 4) != 0 ? db : default;
            if (g.Transposed) ConvTranspose2dKernel.Backward(x, wt, dy, dx, sw, sb, g, writeDx: true);
            else Conv2dKernel.Backward(x, wt, dy, dx, sw, sb, g, writeDx: true);
            Close(edx, dx, $"dX written (subset {mask})");
            Close((mask & 2) != 0 ? [.. edw.Select(v => v + 1)] : Ones(g.WeightLength), dw, $"dW beside a written dX (subset {mask})");
            Close((mask & 4) != 0 ? [.. edb.Select(v => v + 1)] : Ones(g.OutChannels), db, $"dB beside a written dX (subset {mask})");
        }
    }

    private static float[] Ones(int n) => [.. Enumerable.Repeat(1f, n)];

    internal static (float[] y, float[] dx, float[] dw, float[] db) Run(ConvShape g, float[] x, float[] wt, float[] b, float[] dy)
    {
        var y = new float[g.OutputLength];
        float[] dx = [.. Enumerable.Repeat(1f, g.InputLength)], dw = [.. Enumerable.Repeat(1f, g.WeightLength)], db = [.. Enumerable.Repeat(1f, g.OutChannels)];
        if (g.Transposed)
        {
            ConvTranspose2dKernel.Forward(x, wt, b, y, g);
            ConvTranspose2dKernel.Backward(x, wt, dy, dx, dw, db, g);
        }
        else
        {
            Conv2dKernel.Forward(x, wt, b, y, g);
            Conv2dKernel.Backward(x, wt, dy, dx, dw, db, g);
        }
        return (y, dx, dw, db);
    }

    /// <summary>Equal within 1e-4 relative (plus 1e-4 absolute), naming the first element that is not.</summary>
    internal static void Close(float[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-4f * (1 + Math.Abs(expected[i])), $"{what}[{i}]: expected {expected[i]}, got {actual[i]}");
    }

    internal static (float[] y, float[] dx, float[] dw, float[] db) Naive(ConvShape g, float[] x, float[] w, float[] b, float[] dy)
    {
        var y = new double[g.OutputLength];
        var dx = new double[g.InputLength];
        var dw = new double[g.WeightLength];
        var db = new double[g.OutChannels];
        int inHw = g.InHeight * g.InWidth, outHw = g.OutHeight * g.OutWidth, kk = g.KernelHeight * g.KernelWidth;
        ForEachTap(g, (n, c, o, small, big, k, _, _) =>
        {
            int xi = (n * g.InChannels + c) * inHw + (g.Transposed ? small : big);
            int yi = (n * g.OutChannels + o) * outHw + (g.Transposed ? big : small);
            int wi = (g.Transposed ? c * g.OutChannels + o : o * g.InChannels + c) * kk + k;
            y[yi] += (double)w[wi] * x[xi];
            dx[xi] += (double)w[wi] * dy[yi];
            dw[wi] += (double)x[xi] * dy[yi];
        });
        for (int n = 0; n < g.Batch; n++)
            for (int o = 0; o < g.OutChannels; o++)
                for (int p = 0; p < outHw; p++)
                {
                    int yi = (n * g.OutChannels + o) * outHw + p;
                    y[yi] += b[o];
                    db[o] += dy[yi];
                }
        static float[] F(double[] a) => Array.ConvertAll(a, v => (float)v);
        return (F(y), F(dx), F(dw), F(db));
    }

    private static void AssertClose(float[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-4f * (1 + Math.Abs(expected[i])),
                $"{what}[{i}]: expected {expected[i]}, got {actual[i]}");
    }

    public static IEnumerable<object[]> Shapes => new object[][]
    {
        // transposed, N, C, F, H, W, KH, KW, S, P, OP
        new object[] { false, 2, 3, 4, 7, 5, 3, 3, 1, 1, 0 },
        new object[] { false, 3, 2, 5, 9, 8, 3, 3, 2, 1, 0 },
        new object[] { false, 1, 1, 3, 6, 7, 4, 4, 2, 1, 0 },
        new object[] { false, 2, 2, 2, 5, 5, 2, 3, 3, 0, 0 },
        new object[] { false, 1, 3, 2, 4, 4, 1, 1, 1, 0, 0 },
        // shapes whose output tiles the image (the phase-plane fast path of ConvColumns)
        new object[] { false, 2, 3, 2, 8, 6, 3, 3, 2, 1, 0 },
        new object[] { false, 1, 2, 3, 8, 6, 4, 4, 2, 1, 0 },
        new object[] { false, 2, 2, 2, 9, 9, 3, 3, 3, 1, 0 },
        new object[] { false, 1, 2, 2, 9, 6, 5, 5, 3, 2, 0 },
        new object[] { false, 1, 2, 2, 5, 5, 5, 5, 1, 2, 0 },
        new object[] { true, 2, 3, 2, 4, 3, 3, 3, 2, 1, 1 },
        new object[] { true, 2, 2, 3, 3, 3, 3, 3, 3, 1, 2 },
        new object[] { true, 2, 3, 4, 5, 4, 3, 3, 1, 1, 0 },
        // stride 2 on rows of 16 or more floats (the vectorised phase split and merge, plus a scalar tail)
        new object[] { false, 2, 2, 3, 18, 20, 3, 3, 2, 1, 0 },
        new object[] { true, 2, 3, 2, 9, 10, 3, 3, 2, 1, 1 },
        new object[] { true, 1, 2, 2, 8, 8, 4, 4, 2, 1, 0 },
        // stride 2 on rows of 14, 24, 28 floats (the DCGAN's k4 s2 p1 layers): the 8-wide phase split and merge
        new object[] { false, 2, 3, 2, 14, 14, 4, 4, 2, 1, 0 },
        new object[] { false, 1, 2, 2, 12, 28, 4, 4, 2, 1, 0 },
        new object[] { true, 2, 3, 2, 7, 7, 4, 4, 2, 1, 0 },
        new object[] { true, 1, 2, 2, 6, 12, 4, 4, 2, 1, 0 },
        // one channel on the image side (a weight gradient with fewer than 16 columns)
        new object[] { false, 3, 1, 17, 6, 6, 3, 3, 1, 1, 0 },
        new object[] { true, 3, 18, 1, 6, 5, 3, 3, 1, 1, 0 },
        // weight gradients computed as their transpose (ConvWeightGrad: 32 x 9 and 32 x 288 fill the tiles better transposed)
        new object[] { false, 3, 1, 32, 7, 9, 3, 3, 1, 1, 0 },
        new object[] { true, 3, 32, 1, 5, 6, 3, 3, 2, 1, 1 },
        new object[] { false, 2, 32, 32, 6, 7, 3, 3, 2, 1, 0 },
        new object[] { true, 5, 32, 32, 3, 4, 3, 3, 2, 1, 1 },
        // batches larger than a group of images per GEMM (ConvParallel.GroupSize), with a remainder
        new object[] { false, 13, 3, 4, 6, 6, 3, 3, 2, 1, 0 },
        new object[] { false, 11, 2, 3, 5, 7, 3, 3, 1, 1, 0 },
        new object[] { true, 13, 4, 3, 3, 3, 3, 3, 2, 1, 1 },
        new object[] { true, 9, 3, 2, 4, 5, 4, 4, 2, 1, 0 },
        new object[] { true, 3, 4, 3, 4, 5, 3, 3, 2, 1, 1 },
        new object[] { true, 1, 2, 1, 3, 3, 4, 4, 2, 1, 0 },
        new object[] { true, 2, 2, 3, 3, 2, 3, 2, 3, 1, 2 },
        new object[] { true, 1, 5, 2, 7, 7, 3, 3, 2, 0, 0 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void MatchesNaive(bool transposed, int n, int c, int f, int h, int w, int kh, int kw, int s, int p, int op)
    {
        var g = Shape(transposed, n, c, f, h, w, kh, kw, s, p, op);
        float[] x = Random(g.InputLength, 1), wt = Random(g.WeightLength, 2), b = Random(f, 3), dy = Random(g.OutputLength, 4);
        var (ey, edx, edw, edb) = Naive(g, x, wt, b, dy);
        var y = new float[g.OutputLength];
        // Gradients accumulate: start from ones and expect naive + 1.
        var dx = Enumerable.Repeat(1f, g.InputLength).ToArray();
        var dw = Enumerable.Repeat(1f, g.WeightLength).ToArray();
        var db = Enumerable.Repeat(1f, f).ToArray();
        if (transposed)
        {
            ConvTranspose2dKernel.Forward(x, wt, b, y, g);
            ConvTranspose2dKernel.Backward(x, wt, dy, dx, dw, db, g);
        }
        else
        {
            Conv2dKernel.Forward(x, wt, b, y, g);
            Conv2dKernel.Backward(x, wt, dy, dx, dw, db, g);
        }
        AssertClose(ey, y, "y");
        AssertClose(edx.Select(v => v + 1).ToArray(), dx, "dX");
        AssertClose(edw.Select(v => v + 1).ToArray(), dw, "dW");
        AssertClose(edb.Select(v => v + 1).ToArray(), db, "dB");
    }

    [Fact]
    public void NoBiasAndSkippedGradients()
    {
        var g = ConvShape.Conv(2, 3, 2, 6, 6, 3, 3, 2, 1);
        float[] x = Random(g.InputLength, 5), wt = Random(g.WeightLength, 6), dy = Random(g.OutputLength, 7);
        var (ey, edx, _, _) = Naive(g, x, wt, new float[2], dy);
        var y = new float[g.OutputLength];
        var dx = new float[g.InputLength];
        Conv2dKernel.Forward(x, wt, default, y, g);
        Conv2dKernel.Backward(default, wt, dy, dx, default, default, g);
        AssertClose(ey, y, "y");
        AssertClose(edx, dx, "dX");
    }

    [Theory]
    [InlineData(28, 3, 1, 1, 28)]
    [InlineData(28, 3, 2, 1, 14)]
    [InlineData(14, 3, 2, 1, 7)]
    [InlineData(28, 4, 2, 1, 14)]
    [InlineData(5, 2, 3, 0, 2)]
    public void OutputSizeIsPyTorchs(int input, int k, int s, int p, int expected) =>
        Assert.Equal(expected, ConvShape.OutputSize(input, k, s, p));

    [Theory]
    [InlineData(7, 3, 2, 1, 1, 14)]
    [InlineData(7, 3, 1, 1, 0, 7)]
    [InlineData(7, 4, 2, 1, 0, 14)]
    [InlineData(3, 3, 3, 1, 2, 9)]
    public void TransposedOutputSizeIsPyTorchs(int input, int k, int s, int p, int op, int expected) =>
        Assert.Equal(expected, ConvShape.TransposedOutputSize(input, k, s, p, op));

    [Fact]
    public void BadShapesAreNamedErrors()
    {
        Assert.Contains("empty output", Assert.Throws<ArgumentException>(() => ConvShape.Conv(1, 1, 1, 2, 2, 5, 5)).Message, StringComparison.Ordinal);
        Assert.Contains("Output padding", Assert.Throws<ArgumentException>(() => ConvShape.ConvTranspose(1, 1, 1, 3, 3, 3, 3, 2, 1, 2)).Message, StringComparison.Ordinal);
        var g = ConvShape.Conv(1, 2, 3, 4, 4, 3, 3, 1, 1);
        var ex = Assert.Throws<ArgumentException>(() => Conv2dKernel.Forward(new float[32], new float[53], default, new float[48], g));
        Assert.Contains("weight has 53 floats", ex.Message, StringComparison.Ordinal);
        ex = Assert.Throws<ArgumentException>(() => ConvTranspose2dKernel.Forward(new float[32], new float[54], default, new float[48], g));
        Assert.Contains("ConvShape.ConvTranspose", ex.Message, StringComparison.Ordinal);
    }
}

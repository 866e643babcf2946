// Central-difference gradient checks (GradCheck) of the convolution, batch-norm, pooling and upsampling primitives:
// one row per case, including stride 2, odd sizes, output padding and batch size 1.
using Latent.Tensors;
using Latent.Tensors.Ops;

namespace Latent.Tests.Tensors;

public class ConvOpsTests
{
    [Theory]
    [InlineData(2, 3, 4, 5, 7, 3, 1, 1, true)]
    [InlineData(1, 2, 3, 7, 6, 3, 2, 1, true)]
    [InlineData(2, 1, 2, 6, 6, 4, 2, 1, false)]
    [InlineData(1, 2, 2, 5, 5, 2, 3, 0, true)]
    public void Conv2dGradients(int n, int c, int f, int h, int w, int k, int s, int p, bool bias)
    {
        var rng = new Rng(1);
        Tensor x = GradCheck.Param(GradCheck.Random(rng, n, c, h, w));
        Tensor wt = GradCheck.Param(GradCheck.Random(rng, f, c, k, k));
        Tensor b = GradCheck.Param(GradCheck.Random(rng, f));
        if (bias) GradCheck.Check(t => ConvOps.Conv2d(t[0], t[1], t[2], s, p), x, wt, b);
        else GradCheck.Check(t => ConvOps.Conv2d(t[0], t[1], null, s, p), x, wt);
    }

    [Theory]
    [InlineData(2, 3, 4, 4, 5, 3, 1, 1, 0, true)]
    [InlineData(1, 2, 3, 3, 4, 3, 2, 1, 1, true)]
    [InlineData(2, 2, 1, 3, 3, 4, 2, 1, 0, false)]
    [InlineData(1, 3, 2, 3, 2, 3, 3, 1, 2, true)]
    public void ConvTranspose2dGradients(int n, int c, int f, int h, int w, int k, int s, int p, int op, bool bias)
    {
        var rng = new Rng(2);
        Tensor x = GradCheck.Param(GradCheck.Random(rng, n, c, h, w));
        Tensor wt = GradCheck.Param(GradCheck.Random(rng, c, f, k, k));
        Tensor b = GradCheck.Param(GradCheck.Random(rng, f));
        if (bias) GradCheck.Check(t => ConvOps.ConvTranspose2d(t[0], t[1], t[2], s, p, op), x, wt, b);
        else GradCheck.Check(t => ConvOps.ConvTranspose2d(t[0], t[1], null, s, p, op), x, wt);
    }

    /// <summary>A convolution writes its input's first gradient (Tensor.GradForWrite) and adds any later one: in a pool step
    /// whose recycled buffers the step before left full of NaN, h = tanh(x0) feeding two convolutions of the same shape
    /// (the row-tile or tap-plane path, which writes) and a product gets x0's gradient exactly as outside any pool.</summary>
    [Theory]
    [InlineData(false, 2, 1, 8, 28, 28, 4, 2, 1)]                   // DCGAN D1's shape: the tap planes write dX
    [InlineData(true, 2, 8, 1, 28, 28, 3, 1, 1)]                    // ConvVAE d5's shape: the row tiles write dX
    [InlineData(false, 2, 3, 4, 7, 6, 3, 2, 1)]                     // the lowering: cleared, then added
    public void FirstInputGradientIsWrittenOverRecycledStorage(bool transposed, int n, int c, int f, int h, int w, int k, int s, int p)
    {
        var rng = new Rng(3);
        Tensor x0 = GradCheck.Param(GradCheck.Random(rng, n, c, h, w));
        Tensor w1 = GradCheck.Param(GradCheck.Random(rng, transposed ? c : f, transposed ? f : c, k, k));
        Tensor w2 = GradCheck.Param(GradCheck.Random(rng, transposed ? c : f, transposed ? f : c, k, k));
        Tensor r = GradCheck.Random(rng, n, c, h, w);
        Tensor Conv(Tensor x, Tensor wt) => transposed ? ConvOps.ConvTranspose2d(x, wt, null, s, p) : ConvOps.Conv2d(x, wt, null, s, p);
        Tensor Loss()
        {
            Tensor hx = x0.Tanh();
            Tensor a = Conv(hx, w1), b = Conv(hx, w2);
            return Tensor.Add(Tensor.Add(a.Square().Sum(), b.Tanh().Sum()), Tensor.Multiply(hx, r).Sum());
        }
        // The reference: the three terms backward one at a time (each has h's only gradient), added on the leaf x0.
        Conv(x0.Tanh(), w1).Square().Sum().Backward();
        Conv(x0.Tanh(), w2).Tanh().Sum().Backward();
        Tensor.Multiply(x0.Tanh(), r).Sum().Backward();
        float[] expected = x0.Grad!.Data.ToArray();
        x0.ClearGrad(); w1.ClearGrad(); w2.ClearGrad();
        var pool = new BufferPool();
        using (pool.Step())
        {
            Tensor loss = Loss();
            loss.Backward();
            for (int i = 0; i < 64; i++) Tensor.Uninitialized(n * c * h * w * (1 + i % 4)).Data.Fill(float.NaN);
        }
        using (pool.Step())
        {
            x0.ClearGrad(); w1.ClearGrad(); w2.ClearGrad();
            Loss().Backward();
            ConvKernelTests.Close(expected, x0.Grad!.Data.ToArray(), "x0's gradient in a pool step");
        }
    }

    [Theory]
    [InlineData(true, 4, 3, 2, 3)]
    [InlineData(true, 6, 5, 0, 0)]
    [InlineData(false, 3, 2, 3, 2)]
    [InlineData(false, 1, 4, 0, 0)]
    public void BatchNormGradients(bool training, int n, int c, int h, int w)
    {
        var rng = new Rng(3);
        int[] shape = h == 0 ? [n, c] : [n, c, h, w];
        Tensor x = GradCheck.Param(GradCheck.Random(rng, shape));
        Tensor gamma = GradCheck.Param(GradCheck.Random(rng, c));
        Tensor beta = GradCheck.Param(GradCheck.Random(rng, c));
        Tensor rm = GradCheck.Random(rng, c), rv = GradCheck.Positive(rng, c);
        // Running statistics are updated by a training forward; pass copies so every evaluation sees the same ones.
        GradCheck.Check(t => BatchNormOps.BatchNorm(t[0], t[1], t[2], training ? null : rm, training ? null : rv, training), x, gamma, beta);
    }

    [Fact]
    public void PoolingAndUpsampleGradients()
    {
        var rng = new Rng(4);
        Tensor x = GradCheck.Param(GradCheck.Random(rng, 2, 2, 5, 6));
        // Max pooling: distinct values 0.05 apart, so the +-eps probes never change a window's winner.
        Tensor xm = GradCheck.Param(new Tensor(2, 2, 5, 6));
        int[] perm = rng.Permutation(xm.Length);
        for (int i = 0; i < perm.Length; i++) xm.Data[i] = perm[i] * 0.05f - 3f;
        GradCheck.Check(t => PoolOps.MaxPool2d(t[0], 2), xm);
        GradCheck.Check(t => PoolOps.MaxPool2d(t[0], 3, 2, 1), xm);
        GradCheck.Check(t => PoolOps.AvgPool2d(t[0], 2), x);
        GradCheck.Check(t => PoolOps.AvgPool2d(t[0], 3, 2, 1), x);
        GradCheck.Check(t => PoolOps.UpsampleNearest(t[0], 2), x);
    }

    [Fact]
    public void ChannelMismatchIsANamedError()
    {
        var x = new Tensor(1, 3, 5, 5);
        var ex = Assert.Throws<ArgumentException>(() => ConvOps.Conv2d(x, new Tensor(4, 2, 3, 3), null));
        Assert.Contains("input has 3 channels", ex.Message, StringComparison.Ordinal);
        ex = Assert.Throws<ArgumentException>(() => ConvOps.Conv2d(new Tensor(3, 25), new Tensor(4, 3, 3, 3), null));
        Assert.Contains("(N, C, H, W)", ex.Message, StringComparison.Ordinal);
        ex = Assert.Throws<ArgumentException>(() => BatchNormOps.BatchNorm(x, null, null, null, null, training: false));
        Assert.Contains("eval mode needs running_mean", ex.Message, StringComparison.Ordinal);
    }
}

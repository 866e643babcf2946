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

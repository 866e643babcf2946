// Autograd semantics: accumulation across backward calls, no-grad scope, detach, named errors, views.
using Latent.Tensors;
using Latent.Tensors.Ops;

namespace Latent.Tests.Tensors;

public class AutogradTests
{
    private static Tensor Leaf(params float[] values)
    {
        var t = new Tensor(values, values.Length);
        t.RequiresGrad = true;
        return t;
    }

    [Fact]
    public void GradientsAccumulateAcrossBackwardCalls()
    {
        Tensor x = Leaf(1f, 2f, 3f);
        (x * 2f).Sum().Backward();
        (x.Square()).Sum().Backward();                    // GAN phases: a second loss adds to the same grads
        Assert.Equal([2f + 2f, 2f + 4f, 2f + 6f], x.Grad!.ToArray());
        x.ZeroGrad();
        Assert.Equal([0f, 0f, 0f], x.Grad!.ToArray());
    }

    /// <summary>Linear and MatMul write an input's first gradient (GEMM with beta 0 onto uninitialised pooled storage) and
    /// add later ones: h = tanh(x) used as both operands of h^T h and as a linear layer's input, in a pool step whose
    /// recycled buffers the step before left full of NaN, gets the sum of the three terms' gradients taken one at a time.</summary>
    [Fact]
    public void FirstGradientsOfLinearAndMatMulAreWrittenAndLaterOnesAdded()
    {
        var rng = new Rng(4);
        Tensor x = GradCheck.Param(GradCheck.Random(rng, 5, 3));
        Tensor w = GradCheck.Param(GradCheck.Random(rng, 4, 3));
        Tensor Gram() => Tensor.MatMul(x.Tanh(), x.Tanh(), transposeA: true).Square().Sum();
        Tensor SelfGram() { Tensor h = x.Tanh(); return Tensor.MatMul(h, h, transposeA: true).Square().Sum(); }
        Tensor Lin() => Tensor.Linear(x.Tanh(), w, null).Tanh().Sum();
        SelfGram().Backward();                          // h's two operands: the first written, the second added
        Lin().Backward();
        float[] expected = x.Grad!.ToArray();
        x.ClearGrad();
        Gram().Backward();                              // the same Gram term from two separate h's: each one's only gradient
        Lin().Backward();
        Assert.Equal(expected.Length, x.Grad!.Length);
        for (int i = 0; i < expected.Length; i++) Assert.True(Math.Abs(expected[i] - x.Grad!.Data[i]) <= 1e-5f * (1 + Math.Abs(expected[i])), $"[{i}]");
        var pool = new BufferPool();
        using (pool.Step())
            for (int i = 0; i < 32; i++) Tensor.Uninitialized(5 * (1 + i % 4), 3).Data.Fill(float.NaN);
        using (pool.Step())
        {
            x.ClearGrad();
            Tensor h = x.Tanh();
            Tensor loss = Tensor.Add(Tensor.MatMul(h, h, transposeA: true).Square().Sum(), Tensor.Linear(h, w, null).Tanh().Sum());
            loss.Backward();
            for (int i = 0; i < expected.Length; i++) Assert.True(Math.Abs(expected[i] - x.Grad!.Data[i]) <= 1e-5f * (1 + Math.Abs(expected[i])), $"pooled [{i}]: {x.Grad!.Data[i]} vs {expected[i]}");
        }
    }

    /// <summary>The rules that write a first input gradient instead of adding it to zeros (relu, leaky relu, batch norm,
    /// reshape, concat): in a pool step whose recycled buffers hold NaN, a graph where each gets a first gradient and x
    /// reaches the loss twice gives the gradients of the same graph with unpooled (zero-filled) storage.</summary>
    [Fact]
    public void FirstGradientsOfActivationsNormsAndShapesAreWrittenOverRecycledStorage()
    {
        var rng = new Rng(9);
        Tensor x = GradCheck.Param(GradCheck.Random(rng, 4, 2, 3, 3));
        Tensor gamma = GradCheck.Param(GradCheck.Random(rng, 2));
        Tensor Loss()
        {
            Tensor xi = x * 1.5f;                                            // pooled intermediates from here on
            Tensor h = BatchNormOps.BatchNorm(xi.LeakyRelu(0.2f), gamma, null, null, null, true, 0.1f, 1e-5f).Relu();
            Tensor flat = h.Reshape(4, 18);
            Tensor joined = Tensor.Concat(1, flat, xi.Reshape(4, 18).Tanh());
            return (joined * joined).Sum();
        }
        Loss().Backward();
        float[] dx = x.Grad!.ToArray(), dGamma = gamma.Grad!.ToArray();
        var pool = new BufferPool();
        using (pool.Step())
            for (int i = 0; i < 64; i++) Tensor.Uninitialized(4 * (1 + i % 4), 18).Data.Fill(float.NaN);
        using (pool.Step())
        {
            x.ClearGrad();
            gamma.ClearGrad();
            Loss().Backward();
            Assert.Equal(dx, x.Grad!.ToArray());
            Assert.Equal(dGamma, gamma.Grad!.ToArray());
        }
    }

    [Fact]
    public void TwoLossesOverASharedIntermediateEachCountOnce()
    {
        Tensor x = Leaf(2f);
        Tensor h = x * 3f;                                // shared intermediate, dh/dx = 3
        (h * 5f).Sum().Backward();                        // dL1/dx = 15
        h.Square().Sum().Backward();                      // dL2/dx = 2 h * 3 = 36
        Assert.Equal(51f, x.Grad!.Data[0]);
    }

    [Fact]
    public void ATensorUsedTwiceGetsBothContributions()
    {
        Tensor x = Leaf(3f);
        (x * x + x).Sum().Backward();                     // d/dx (x^2 + x) = 2x + 1
        Assert.Equal(7f, x.Grad!.Data[0]);
    }

    [Fact]
    public void NoGradScopeRecordsNothing()
    {
        Tensor x = Leaf(1f, 2f);
        Tensor y;
        using (GradMode.Disable()) y = (x * 3f).Exp();
        Assert.False(y.RequiresGrad);
        Assert.True(y.IsLeaf);
        Assert.True(GradMode.IsEnabled);
        Assert.Throws<InvalidOperationException>(() => y.Sum().Backward());
    }

    [Fact]
    public void DetachStopsTheGradientButSharesStorage()
    {
        Tensor x = Leaf(1f, 2f);
        Tensor d = (x * 2f).Detach();
        Tensor w = Leaf(5f, 7f);
        (d * w).Sum().Backward();
        Assert.Null(x.Grad);
        Assert.Equal([2f, 4f], w.Grad!.ToArray());
        Assert.False(d.RequiresGrad);
    }

    [Fact]
    public void MissingDerivativeIsANamedError()
    {
        Tensor x = Leaf(1f, 2f);
        Tensor y = Tensor.Record("argmax_onehot", Tensor.Zeros(2), [x], backward: null);
        var ex = Assert.Throws<MissingDerivativeException>(() => y.Sum().Backward());
        Assert.Equal("argmax_onehot", ex.Op);
        Assert.Contains("argmax_onehot", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BackwardNeedsAScalarOrAnExplicitGradient()
    {
        Tensor x = Leaf(1f, 2f);
        Tensor y = x * 3f;
        var ex = Assert.Throws<InvalidOperationException>(() => y.Backward());
        Assert.Contains("(2)", ex.Message, StringComparison.Ordinal);
        y.Backward([1f, 10f]);
        Assert.Equal([3f, 30f], x.Grad!.ToArray());
    }

    [Fact]
    public void DeepChainDoesNotOverflowTheStack()
    {
        Tensor x = Leaf(1f);
        Tensor y = x;
        for (int i = 0; i < 20000; i++) y = y + 0f;
        y.Sum().Backward();
        Assert.Equal(1f, x.Grad!.Data[0]);
    }

    [Fact]
    public void ReshapeAndBatchSliceAreViews()
    {
        var x = new Tensor(new float[] { 1, 2, 3, 4, 5, 6 }, 3, 2);
        Tensor r = x.Reshape(2, -1);
        Tensor rows = x.SliceRows(1, 2);
        x.Data[2] = 30f;
        Assert.Equal(30f, r.Data[2]);
        Assert.Equal([30f, 4f, 5f, 6f], rows.ToArray());
        Assert.Equal(3, r.Reshape(-1, 2).Dim(0));
    }

    [Fact]
    public void ColumnSliceAndConcatValues()
    {
        var x = new Tensor(new float[] { 1, 2, 3, 4, 5, 6 }, 2, 3);
        Assert.Equal([2f, 3f, 5f, 6f], x.Slice(1, 1, 2).ToArray());
        var z = new Tensor(new float[] { 9, 8 }, 2, 1);
        Tensor c = Tensor.Concat(1, x, z);
        Assert.Equal([2, 4], c.ShapeArray());
        Assert.Equal([1f, 2f, 3f, 9f, 4f, 5f, 6f, 8f], c.ToArray());
    }

    [Fact]
    public void BroadcastValues()
    {
        var m = new Tensor(new float[] { 1, 2, 3, 4 }, 2, 2);
        var row = new Tensor(new float[] { 10, 20 }, 2);
        var col = new Tensor(new float[] { 100, 200 }, 2, 1);
        Assert.Equal([11f, 22f, 13f, 24f], (m + row).ToArray());
        Assert.Equal([11f, 22f, 13f, 24f], (row + m).ToArray());
        Assert.Equal([9f, 18f, 7f, 16f], (row - m).ToArray());
        Assert.Equal([100f, 200f, 600f, 800f], (col * m).ToArray());
        Assert.Equal([0.01f, 0.02f, 0.015f, 0.02f], (m / col).ToArray());
        Assert.Equal([10f, 20f, 10f, 20f], row.BroadcastTo(2, 2).ToArray());
        Assert.Throws<ArgumentException>(() => row / m);
    }

    [Fact]
    public void BadShapesAreNamedErrors()
    {
        var a = new Tensor(2, 3);
        var ex = Assert.Throws<ArgumentException>(() => a + new Tensor(3, 2));
        Assert.Contains("(3, 2)", ex.Message, StringComparison.Ordinal);
        Assert.Contains("(2, 3)", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => a.Reshape(4, 2));
        Assert.Throws<ArgumentException>(() => Tensor.MatMul(a, new Tensor(2, 3)));
        Assert.Throws<ArgumentOutOfRangeException>(() => a.Slice(1, 2, 2));
        Assert.Throws<ArgumentException>(() => Tensor.Concat(0, a, new Tensor(2, 4)));
        Assert.Throws<ArgumentOutOfRangeException>(() => a.Sum(2));
        Assert.Throws<ArgumentException>(() => new Tensor(new float[5], 2, 3));
        Assert.Throws<ArgumentException>(() => new Tensor(2, -1));
    }

    [Fact]
    public void RecordingTheSameOutputTwiceIsRejected()
    {
        Tensor x = Leaf(1f);
        Tensor y = x * 2f;
        Assert.Throws<InvalidOperationException>(() => Tensor.Record("again", y, [x], static _ => { }));
    }
}

// Tensor.ReluInPlace (torch's relu_) and LeakyReluInPlace: the same values and gradients as Relu / LeakyRelu, written
// over the pre-activation (no array of its own), and refused where overwriting would corrupt a gradient (a parameter,
// an op that reads its own output) or, for LeakyReLU, where the derivative cannot be read from the result (slope <= 0).
using Latent.Nn.Layers;
using Latent.Tensors;

namespace Latent.Tests.Tensors;

public class ReluInPlaceTests
{
    [Fact]
    public void ValuesAndGradientsAreRelusAndTheResultSharesTheInputsStorage()
    {
        var rng = new Rng(4);
        Tensor x = GradCheck.Random(rng, 6, 10), w = GradCheck.Param(GradCheck.Random(rng, 10, 10));
        Tensor expected = Tensor.Linear(x, w, null).Relu();
        Tensor.Multiply(expected, expected).Sum().Backward();
        float[] dwExpected = w.Grad!.ToArray();
        w.ClearGrad();

        Tensor h = Tensor.Linear(x, w, null);                                            // (6, 10), read by nothing else
        Tensor y = h.ReluInPlace();
        Assert.Equal(expected.ToArray(), y.ToArray());
        Assert.Equal(y.ToArray(), h.ToArray());                                          // overwritten
        Assert.Equal("relu", y.Op);
        Tensor.Multiply(y, y).Sum().Backward();
        Assert.Equal(dwExpected, w.Grad!.ToArray());
        Assert.True(GradCheck.Check(a => Tensor.Linear(x, a[0], null).ReluInPlace(), w) <= GradCheck.Tolerance);
    }

    [Fact]
    public void InAPoolStepItRentsNothing()
    {
        var pool = new BufferPool();
        using (pool.Step())
        {
            Tensor h = Tensor.Full(-1f, 64, 64) + 0.5f;                                  // add_scalar
            int rented = pool.RentedCount;
            Tensor y = h.ReluInPlace();
            Assert.Equal(rented, pool.RentedCount);
            Assert.Equal(0f, y.Data[0]);
        }
    }

    [Fact]
    public void OverwritingAParameterOrAnOutputItsBackwardReadsIsRefused()
    {
        var rng = new Rng(5);
        Tensor p = GradCheck.Param(GradCheck.Random(rng, 3, 4));
        var ex = Assert.Throws<InvalidOperationException>(() => p.ReluInPlace());
        Assert.Contains("a leaf that requires a gradient", ex.Message, StringComparison.Ordinal);
        ex = Assert.Throws<InvalidOperationException>(() => p.Exp().ReluInPlace());
        Assert.Contains("the output of 'exp'", ex.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => p.Tanh().ReluInPlace());
        using (GradMode.Disable()) Assert.Equal(p.Exp().Relu().ToArray(), p.Exp().ReluInPlace().ToArray());   // nothing recorded: allowed
        Tensor input = GradCheck.Random(rng, 3, 4);                                      // a leaf without a gradient
        Assert.All(input.ReluInPlace().ToArray(), v => Assert.True(v >= 0f));
    }

    [Fact]
    public void TheLayerWorksInPlaceWhenAsked()
    {
        var rng = new Rng(6);
        Tensor w = GradCheck.Param(GradCheck.Random(rng, 5, 5));
        Tensor h = Tensor.Linear(GradCheck.Random(rng, 2, 5), w, null);
        Tensor y = new Relu(inPlace: true).Forward(h);
        Assert.Equal(y.ToArray(), h.ToArray());
        Assert.True(new Relu(inPlace: true).InPlace);
        Assert.False(new Relu().InPlace);
        Tensor h2 = Tensor.Linear(GradCheck.Random(rng, 2, 5), w, null);
        float[] before = h2.ToArray();
        _ = new Relu().Forward(h2);
        Assert.Equal(before, h2.ToArray());                                              // the default keeps its input
    }

    [Fact]
    public void LeakyReluInPlaceGivesLeakyRelusBitsAndGradients()
    {
        var rng = new Rng(7);
        Tensor x = GradCheck.Random(rng, 6, 10), w = GradCheck.Param(GradCheck.Random(rng, 10, 10));
        Tensor expected = Tensor.Linear(x, w, null).LeakyRelu(0.2f);
        Tensor.Multiply(expected, expected).Sum().Backward();
        float[] dwExpected = w.Grad!.ToArray();
        w.ClearGrad();

        Tensor h = Tensor.Linear(x, w, null);
        Tensor y = new LeakyRelu(0.2f, inPlace: true).Forward(h);
        Assert.Equal(expected.ToArray(), y.ToArray());
        Assert.Equal(y.ToArray(), h.ToArray());                                          // overwritten
        Assert.Contains(y.ToArray(), v => v < 0);                                        // both sides taken
        Tensor.Multiply(y, y).Sum().Backward();
        Assert.Equal(dwExpected, w.Grad!.ToArray());
        Assert.True(GradCheck.Check(a => Tensor.Linear(x, a[0], null).LeakyReluInPlace(0.3f), w) <= GradCheck.Tolerance);
        Tensor h2 = Tensor.Linear(x, w, null);
        float[] before = h2.ToArray();
        _ = new LeakyRelu(0.2f).Forward(h2);
        Assert.Equal(before, h2.ToArray());                                              // the default keeps its input
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(-0.1f)]
    [InlineData(float.NaN)]
    public void LeakyReluInPlaceNeedsAPositiveSlopeAndASafeInput(float slope)
    {
        var rng = new Rng(8);
        Tensor p = GradCheck.Param(GradCheck.Random(rng, 3, 4));
        Tensor h = Tensor.Linear(GradCheck.Random(rng, 2, 4), p, null);
        var ex = Assert.Throws<ArgumentException>(() => h.LeakyReluInPlace(slope));
        Assert.Contains("positive finite slope", ex.Message, StringComparison.Ordinal);
        var ex2 = Assert.Throws<InvalidOperationException>(() => p.Exp().LeakyReluInPlace(0.2f));
        Assert.Contains("the output of 'exp'", ex2.Message, StringComparison.Ordinal);
        ex2 = Assert.Throws<InvalidOperationException>(() => p.LeakyReluInPlace(0.2f));
        Assert.Contains("a leaf that requires a gradient", ex2.Message, StringComparison.Ordinal);
    }
}

// A reshape's backward hands its output's gradient to an intermediate input as a view instead of copying it: the
// gradients are those of the copy whether the reshape's rule runs before or after another consumer's, a leaf gets its
// own storage (it outlives the step), and in a pooled step the array is handed back once: repeated steps give the same
// gradients and leave nothing rented.
using Latent.Tensors;

namespace Latent.Tests.Tensors;

public class ReshapeGradientTests
{
    private static Tensor Leaf(Rng rng, params int[] shape)
    {
        Tensor t = GradCheck.Random(rng, shape);
        t.RequiresGrad = true;
        return t;
    }

    /// <summary>x (2, 3, 4) -> h = x * 1.5 -> loss from h.Reshape(2, 12) (weighted) and, optionally, from (2h)(2h), whose
    /// backward rents two gradients of h's size (in a pooled step, the array a reshape's view holds must not be one).</summary>
    private static float[] Gradient(Tensor x, Tensor w, bool secondConsumer, bool reshapeFirst)
    {
        x.ClearGrad();
        Tensor h = x * 1.5f;
        Tensor flat = (h.Reshape(2, 12) * w).Sum();
        Tensor loss = !secondConsumer ? flat : reshapeFirst ? flat + ((h * 2f) * (h * 2f)).Sum() : ((h * 2f) * (h * 2f)).Sum() + flat;
        loss.Backward();
        return x.Grad!.Data.ToArray();
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public void GradientsAreTheCopysWhicheverRuleRunsFirst(bool secondConsumer, bool reshapeFirst)
    {
        var rng = new Rng(3);
        Tensor x = Leaf(rng, 2, 3, 4), w = GradCheck.Random(rng, 2, 12);
        float[] got = Gradient(x, w, secondConsumer, reshapeFirst);
        for (int i = 0; i < got.Length; i++)
        {
            float h = x.Data[i] * 1.5f;
            float expected = 1.5f * (w.Data[i] + (secondConsumer ? 8 * h : 0f));
            Assert.Equal(expected, got[i], 1e-5f);
        }
    }

    [Fact]
    public void ALeafKeepsItsOwnGradientStorage()
    {
        var rng = new Rng(4);
        Tensor x = Leaf(rng, 2, 6);
        Tensor y = x.Reshape(3, 4);
        (y * 2f).Sum().Backward();
        Assert.All(x.Grad!.Data.ToArray(), g => Assert.Equal(2f, g));
        Assert.Null(y.Grad);                                           // the intermediate's gradient is dropped as before
        (y * 3f).Sum().Backward();                                     // a leaf accumulates across walks
        Assert.All(x.Grad!.Data.ToArray(), g => Assert.Equal(5f, g));
    }

    [Fact]
    public void PooledStepsHandTheStorageBackOnce()
    {
        var rng = new Rng(5);
        Tensor x = Leaf(rng, 2, 3, 4), w = GradCheck.Random(rng, 2, 12);
        var pool = new BufferPool();
        foreach (bool reshapeFirst in new[] { true, false, true, false })
        {
            float[] unpooled = Gradient(x, w, secondConsumer: true, reshapeFirst), got;
            using (pool.Step()) got = Gradient(x, w, secondConsumer: true, reshapeFirst);
            Assert.Equal(unpooled, got);
            Assert.Equal(0, pool.RentedCount);
        }
    }
}

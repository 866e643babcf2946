// The step pool recycles intermediate arrays: a repeated step rents the same arrays and allocates
// (almost) nothing; tensors made outside a step are never pooled.
using Latent.Tensors;

namespace Latent.Tests.Tensors;

public class BufferPoolTests
{
    private static float Step(BufferPool pool, Tensor w, Tensor x)
    {
        using (pool.Step())
        {
            Tensor loss = Tensor.Linear(x, w, null).Relu().Square().Mean();
            w.ZeroGrad();
            loss.Backward();
            return loss.Item();
        }
    }

    [Fact]
    public void SteadyStateStepsReuseArraysAndAllocateLittle()
    {
        var rng = new Rng(5);
        var w = new Tensor(64, 32) { RequiresGrad = true };
        rng.Normal(w.Data);
        var x = new Tensor(16, 32);
        rng.Normal(x.Data);
        var pool = new BufferPool();
        float first = Step(pool, w, x);
        Step(pool, w, x);
        long before = GC.GetAllocatedBytesForCurrentThread();
        float again = Step(pool, w, x);
        long bytes = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(first, again);
        Assert.True(bytes < 4 * 16 * 64, $"a steady step allocated {bytes} bytes, more than one activation (4096 bytes)");
        Assert.Null(BufferPool.Current);
        Assert.Equal(0, pool.RentedCount);
    }

    [Fact]
    public void UsingAPooledTensorAfterItsStepIsANamedError()
    {
        var pool = new BufferPool();
        Tensor kept, view;
        using (pool.Step())
        {
            kept = Tensor.Full(2f, 4, 3);
            view = kept.SliceRows(1, 2);
            Assert.Equal(2f, view.Data[0]);
        }
        var ex = Assert.Throws<InvalidOperationException>(() => kept.ToArray());
        Assert.Contains("BufferPool step that has ended", ex.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => view.Data[0]);
    }

    [Fact]
    public void TensorsOutsideAStepAreNotPooledAndNestedStepsAreRejected()
    {
        Assert.False(Tensor.Zeros(3).IsPooled);
        var pool = new BufferPool();
        using (pool.Step())
        {
            Assert.True(Tensor.Zeros(3).IsPooled);
            Assert.Equal([0f, 0f, 0f], Tensor.Zeros(3).ToArray());
            Assert.Throws<InvalidOperationException>(() => pool.Step());
        }
    }
}

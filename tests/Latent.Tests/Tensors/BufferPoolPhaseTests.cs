// BufferPool.Phase: a step that trains several networks one after the other (a flow and its background model) ends
// each network's phase once its optimiser step is done; the phase's arrays go back to the free lists (the next
// phase reuses them), the step's own arrays stay rented, and a tensor of an ended phase refuses access.
using Latent.Tensors;

namespace Latent.Tests.Tensors;

public class BufferPoolPhaseTests
{
    [Fact]
    public void APhaseReturnsItsArraysAndTheNextPhaseReusesThem()
    {
        var pool = new BufferPool();
        using (pool.Step())
        {
            Tensor input = Tensor.Full(1f, 64, 100);                                    // the step's: outlives the phases
            float[] first;
            using (pool.Phase())
            {
                first = Storage(Tensor.Uninitialized(64, 200));
                Assert.Equal(4L * (6_400 + 12_800), pool.RentedBytes);
            }
            Assert.Equal(4L * 6_400, pool.RentedBytes);
            Assert.Equal(4L * 12_800, pool.RetainedBytes);
            Assert.Equal(1, pool.RentedCount);
            using (pool.Phase()) Assert.Same(first, Storage(Tensor.Uninitialized(64, 200)));   // the second network's step
            Assert.Equal(4L * (6_400 + 12_800), pool.PeakBytes);                         // one phase's arrays at a time
            Assert.Equal(1f, input.Data[0]);
        }
        Assert.Equal(0, pool.RentedCount);
        Assert.Equal(4L * (6_400 + 12_800), pool.RetainedBytes);
    }

    [Fact]
    public void ATensorOfAnEndedPhaseIsStaleWhileTheStepsAreLive()
    {
        var pool = new BufferPool();
        using (pool.Step())
        {
            Tensor outer = Tensor.Full(2f, 8);
            Tensor inner, innermost;
            using (pool.Phase())
            {
                inner = Tensor.Full(3f, 8);
                using (pool.Phase()) innermost = Tensor.Full(4f, 8);                     // phases nest
                Assert.Throws<InvalidOperationException>(() => innermost.Data[0]);
                Assert.Equal(3f, inner.Data[0]);
                Assert.Equal(2f, outer.Data[0]);
            }
            var ex = Assert.Throws<InvalidOperationException>(() => inner.ToArray());
            Assert.Contains("phase of it that has ended", ex.Message, StringComparison.Ordinal);
            Assert.Equal(2f, outer.Data[0]);
        }
    }

    [Fact]
    public void BackwardInsideAPhaseHandsGradientsBackAndLeavesKeepTheirs()
    {
        var rng = new Rng(3);
        var w = new Tensor(32, 16) { RequiresGrad = true };
        rng.Normal(w.Data);
        var pool = new BufferPool();
        using (pool.Step())
        {
            Tensor x = Tensor.Uninitialized(8, 16);
            rng.Normal(x.Data);
            for (int phase = 0; phase < 2; phase++)
            {
                long before = pool.RentedBytes;
                using (pool.Phase())
                {
                    Tensor loss = Tensor.Linear(x, w, null).Relu().Square().Mean();
                    loss.Backward();
                }
                Assert.Equal(before, pool.RentedBytes);                                  // nothing of the phase stays rented
            }
            Assert.NotNull(w.Grad);
            Assert.False(w.Grad!.IsPooled);
        }
    }

    [Fact]
    public void APhaseNeedsTheActiveStepOfItsPoolAndEndsWithIt()
    {
        var pool = new BufferPool();
        var ex = Assert.Throws<InvalidOperationException>(() => pool.Phase());
        Assert.Contains("inside the pool's active step", ex.Message, StringComparison.Ordinal);
        var other = new BufferPool();
        using (pool.Step())
        using (other.Step())
            Assert.Throws<InvalidOperationException>(() => pool.Phase());             // another pool's step is current
        Tensor t;
        BufferPool.StepScope phase;
        using (pool.Step())
        {
            phase = pool.Phase();
            t = Tensor.Full(1f, 5_000);
            Assert.Throws<InvalidOperationException>(() => pool.Step());
        }                                                                                // the step ends its open phase
        phase.Dispose();                                                                 // already ended: nothing happens
        Assert.Null(BufferPool.Current);
        Assert.Equal(0, pool.RentedCount);
        Assert.Equal(4L * 5_000, pool.RetainedBytes);
        Assert.Throws<InvalidOperationException>(() => t.Data[0]);
    }

    private static float[] Storage(Tensor t) => t.Storage;
}

// The step pool recycles intermediate arrays: a repeated step rents the same arrays and allocates
// (almost) nothing; tensors made outside a step are never pooled; a smaller step reuses a bigger step's arrays
// (best fit); Backward hands intermediate gradients back as soon as they are consumed; the byte counters are exact.
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

    [Fact]
    public void ASmallerStepReusesTheArraysOfABiggerOneWithinTheSlack()
    {
        const int full = 128 * 160, partial = 115 * 160, tooSmall = full / BufferPool.MaxSlack - 1;
        var pool = new BufferPool();
        float[] big;
        using (pool.Step()) big = Rented(Tensor.Uninitialized(128, 160));
        Assert.Equal(4L * full, pool.RetainedBytes);
        using (pool.Step())
        {
            Tensor t = Tensor.Full(3f, 115, 160);                                       // the partial batch
            Assert.Same(big, Rented(t));
            Assert.Equal(partial, t.Length);
            Assert.Equal(partial, t.Data.Length);
            Assert.Equal(4L * full, pool.RentedBytes);
            Assert.Equal(0L, pool.RetainedBytes);
        }
        using (pool.Step()) Assert.Equal(tooSmall, Rented(Tensor.Uninitialized(tooSmall)).Length);   // more than MaxSlack x smaller
        Assert.Equal(4L * (full + tooSmall), pool.RetainedBytes);
        Assert.Equal(0L, pool.RentedBytes);
        Assert.Equal(4L * (full + tooSmall), pool.PeakBytes);
        using (pool.Step()) Assert.Equal(BufferPool.MinBestFit - 1, Rented(Tensor.Uninitialized(BufferPool.MinBestFit - 1)).Length);   // small: exact only
    }

    [Fact]
    public void AnExactLengthIsPreferredToABiggerFreeArray()
    {
        var pool = new BufferPool();
        float[] a, b;
        using (pool.Step()) { a = Rented(Tensor.Uninitialized(10_000)); b = Rented(Tensor.Uninitialized(9_000)); }
        using (pool.Step())
        {
            Assert.Same(b, Rented(Tensor.Uninitialized(9_000)));
            Assert.Same(a, Rented(Tensor.Uninitialized(9_000)));                        // the only one left that fits
            Assert.Equal(8_000, Rented(Tensor.Uninitialized(8_000)).Length);            // none left: a new one
        }
    }

    [Fact]
    public void BackwardHandsIntermediateGradientsBackAndKeepsLeafGradients()
    {
        var rng = new Rng(2);
        var w = new Tensor(32, 16) { RequiresGrad = true };
        rng.Normal(w.Data);
        var pool = new BufferPool();
        using (pool.Step())
        {
            var x = Tensor.Uninitialized(8, 16);
            rng.Normal(x.Data);
            x.RequiresGrad = true;                                                       // a pooled leaf
            Tensor h = Tensor.Linear(x, w, null);                                        // (8, 32)
            Tensor loss = h.Relu().Square().Mean();
            int rentedBefore = pool.RentedCount;
            long bytesBefore = pool.RentedBytes;
            loss.Backward();
            Assert.Null(h.Grad);                                                         // consumed, handed back
            Assert.Null(loss.Grad);
            Assert.NotNull(x.Grad);                                                      // leaves keep theirs
            Assert.NotNull(w.Grad);
            Assert.Equal(rentedBefore + 1, pool.RentedCount);                            // only x's gradient stays rented
            Assert.Equal(bytesBefore + 4L * x.Grad!.Storage.Length, pool.RentedBytes);              // (best fit: maybe a handed-back array)
            Assert.True(pool.RetainedBytes >= 4L * h.Length, "h's gradient went back to the free lists");
        }
    }

    [Fact]
    public void AConsumedGradientIsAStaleTensorNotSilentlyReusedStorage()
    {
        var pool = new BufferPool();
        Tensor? captured = null;
        using (pool.Step())
        {
            Tensor x = Tensor.Full(2f, 4);
            x.RequiresGrad = true;
            Tensor h = x * 3f;
            Tensor y = Tensor.Record("spy", Tensor.Full(1f, 4), [h], static y =>
            {
                y.Inputs[0].EnsureGrad().Fill(1f);
                Spy.Grad = y.Grad;
            });
            y.Sum().Backward();
            captured = Spy.Grad;
            var ex = Assert.Throws<InvalidOperationException>(() => captured!.ToArray());
            Assert.Contains("Backward has consumed", ex.Message, StringComparison.Ordinal);
            Assert.Equal([3f, 3f, 3f, 3f], x.Grad!.ToArray());
        }
    }

    private static class Spy
    {
        [ThreadStatic] public static Tensor? Grad;
    }

    /// <summary>The array behind a pooled tensor (the pool hands out whole arrays; the tensor views a prefix).</summary>
    private static float[] Rented(Tensor t)
    {
        Assert.True(t.IsPooled);
        return t.Storage;
    }
}

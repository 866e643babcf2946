// The per-thread reusable job object: the same instance back after Give, a fresh one while it is out (a nested call on
// the same thread must not overwrite the fields of the job its caller is running), one instance per thread.
using Latent.Tensors.Threading;

namespace Latent.Tests.Tensors.Threading;

public class ThreadReuseTests
{
    private sealed class Box
    {
        public int Value;
    }

    [Fact]
    public void TakeAfterGiveReturnsTheSameInstance()
    {
        Box a = ThreadReuse<Box>.Take();
        ThreadReuse<Box>.Give(a);
        Assert.Same(a, ThreadReuse<Box>.Take());
    }

    [Fact]
    public void ATakeWhileTheInstanceIsOutGetsAnotherOne()
    {
        Box outer = ThreadReuse<Box>.Take();
        outer.Value = 1;
        Box inner = ThreadReuse<Box>.Take();                           // a nested call
        inner.Value = 2;
        Assert.NotSame(outer, inner);
        Assert.Equal(1, outer.Value);
        ThreadReuse<Box>.Give(inner);
        ThreadReuse<Box>.Give(outer);
    }

    [Fact]
    public void EachThreadHasItsOwnInstance()
    {
        Box mine = ThreadReuse<Box>.Take();
        ThreadReuse<Box>.Give(mine);
        Box? theirs = null;
        var t = new Thread(() => { theirs = ThreadReuse<Box>.Take(); ThreadReuse<Box>.Give(theirs); });
        t.Start();
        t.Join();
        Assert.NotNull(theirs);
        Assert.NotSame(mine, theirs);
    }
}

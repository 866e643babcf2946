// The fixed partition and the parallel loop: every index exactly once, the same ranges for the same
// count, nested calls and exceptions handled, bad counts rejected with a named error.
using Latent.Tensors.Threading;

namespace Latent.Tests.Tensors.Threading;

public class KernelThreadsTests
{
    [Theory]
    [InlineData(10, 3)]
    [InlineData(2, 5)]
    [InlineData(0, 2)]
    [InlineData(64, 2)]
    public void PartitionCoversTheRangeInOrder(int count, int parts)
    {
        int next = 0;
        for (int p = 0; p < parts; p++)
        {
            var (start, end) = KernelThreads.Partition(count, parts, p);
            Assert.Equal(next, start);
            Assert.InRange(end - start, count / parts, count / parts + 1);
            next = end;
        }
        Assert.Equal(count, next);
    }

    [Fact]
    public void ForVisitsEveryIndexOnceOnItsWorkersRange()
    {
        var hits = new int[1000];
        var owner = new int[1000];
        KernelThreads.For(hits.Length, (worker, start, end) =>
        {
            for (int i = start; i < end; i++) { Interlocked.Increment(ref hits[i]); owner[i] = worker; }
        });
        Assert.All(hits, h => Assert.Equal(1, h));
        int parts = Math.Min(KernelThreads.Count, hits.Length);
        for (int p = 0; p < parts; p++)
        {
            var (start, end) = KernelThreads.Partition(hits.Length, parts, p);
            for (int i = start; i < end; i++) Assert.Equal(p, owner[i]);
        }
    }

    [Fact]
    public void NestedForRunsInline()
    {
        var hits = new int[40 * 30];
        KernelThreads.For(40, (_, s, e) =>
        {
            for (int i = s; i < e; i++)
                KernelThreads.For(30, (_, s2, e2) =>
                {
                    for (int j = s2; j < e2; j++) Interlocked.Increment(ref hits[i * 30 + j]);
                });
        });
        Assert.All(hits, h => Assert.Equal(1, h));
    }

    [Fact]
    public void ExceptionInABodyReachesTheCaller()
    {
        var ex = Assert.Throws<InvalidOperationException>(() =>
            KernelThreads.For(100, (_, start, end) =>
            {
                if (start <= 99 && 99 < end) throw new InvalidOperationException("body failed");
            }));
        Assert.Equal("body failed", ex.Message);
        int sum = 0;
        KernelThreads.For(10, (_, s, e) => Interlocked.Add(ref sum, e - s));     // the pool still works
        Assert.Equal(10, sum);
    }

    [Theory]
    [InlineData("3", 3)]
    [InlineData("1", 1)]
    [InlineData(null, 2)]
    [InlineData("", 2)]
    [InlineData("0", 2)]
    [InlineData("-4", 2)]
    [InlineData("two", 2)]
    public void LatentThreadsSetsTheDefaultWhenItIsAPositiveInteger(string? value, int expected)
        => Assert.Equal(expected, KernelThreads.CountFromEnvironment(value, processors: 2));

    [Fact]
    public void CountBelowOneIsANamedError()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => KernelThreads.Count = 0);
        Assert.Contains("at least 1", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void StatefulForAllocatesNothingInSteadyState()
    {
        var sums = new long[8];
        static void Body(long[] s, int worker, int start, int end)
        {
            for (int i = start; i < end; i++) s[worker] += i;
        }
        KernelThreads.For(1000, sums, Body);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int r = 0; r < 10; r++) KernelThreads.For(1000, sums, Body);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(11L * 999 * 1000 / 2, sums.Sum());
    }
}

// The GEMM on several threads: the same bits as one thread for every split (along M sharing packed
// B, along N packing A twice, batched), checked to have really run on the pool; and the size policy of Sgemm
// (small products stay on the calling thread when a worker would have to be woken).
using Latent.Tensors.Kernels;
using Latent.Tensors.Threading;
using Latent.Tests.Tensors.Threading;
using static Latent.Tests.Tensors.GemmTests;

namespace Latent.Tests.Tensors;

[Collection(WorkerPoolCollection.Name)]
public class GemmThreadsTests
{
    private static long Runs => WorkerPoolAccess.CompletedRuns;

    [Theory]
    [InlineData(false, false, 200, 130, 300)]   // taller than wide: split M, shared packed B, two K slices
    [InlineData(true, false, 300, 130, 70)]
    [InlineData(false, false, 130, 200, 300)]   // wider than tall: split N, each thread packs all of A
    [InlineData(false, true, 128, 1024, 700)]   // a linear layer's x W^T: split N
    [InlineData(false, true, 3136 / 8, 32, 288)] // N <= 64: A read in place, split M
    [InlineData(true, true, 32, 784, 9)]        // M <= 36, transposed B: split N, B packed per thread
    [InlineData(false, false, 9, 700, 20)]      // M <= 36: B read in place, split N
    public void OneTwoAndThreeThreadsGiveIdenticalBits(bool ta, bool tb, int m, int n, int k)
    {
        var (a, lda, b, ldb, c0, ldc) = Operands(ta, tb, m, n, k, pad: 0, seed: 3);
        foreach (var isa in Isas())
        {
            var one = (float[])c0.Clone();
            Gemm.Compute(ta, tb, m, n, k, 1.1f, a, lda, b, ldb, 0.5f, one, ldc, 1, isa);
            foreach (int threads in new[] { 2, 3 })
            {
                var many = (float[])c0.Clone();
                long before = Runs;
                Gemm.Compute(ta, tb, m, n, k, 1.1f, a, lda, b, ldb, 0.5f, many, ldc, threads, isa);
                Assert.True(Runs > before, $"{threads} threads did not run on the pool ({isa}).");
                Assert.Equal(one, many);
            }
        }
    }

    [Fact]
    public void BatchedRunsOnThePoolWithTheSameBits()
    {
        const int m = 32, n = 784, k = 9, batch = 6;
        var a = Random(batch * m * k, 1);
        var b = Random(batch * k * n, 2);
        var one = new float[batch * m * n];
        var two = new float[batch * m * n];
        Gemm.ComputeBatched(false, false, m, n, k, 1f, a, k, m * k, b, n, k * n, 0f, one, n, m * n, batch, 1, Gemm.BestIsa);
        long before = Runs;
        Gemm.ComputeBatched(false, false, m, n, k, 1f, a, k, m * k, b, n, k * n, 0f, two, n, m * n, batch, 2, Gemm.BestIsa);
        Assert.True(Runs > before, "the batched product did not run on the pool.");
        Assert.Equal(one, two);
    }

    [Fact]
    public void SgemmWakesSleepingWorkersOnlyForLargeProducts()
    {
        int saved = KernelThreads.Count;
        try
        {
            KernelThreads.Count = 2;
            var (a, lda, b, ldb, c, ldc) = Operands(false, false, 128, 128, 128, pad: 0, seed: 8);   // 2 M multiply-adds
            var (a2, lda2, b2, ldb2, c2, ldc2) = Operands(false, false, 256, 256, 128, pad: 0, seed: 9); // 8 M
            Gemm.Sgemm(false, false, 256, 256, 128, 1f, a2, lda2, b2, ldb2, 0f, c2, ldc2);       // pool threads exist
            SpinWait.SpinUntil(() => WorkerPoolAccess.WouldWake(2), TimeSpan.FromSeconds(5));
            Assert.True(WorkerPoolAccess.WouldWake(2), "the idle worker never went to sleep.");

            long before = Runs;
            Gemm.Sgemm(false, false, 128, 128, 128, 1f, a, lda, b, ldb, 0f, c, ldc);
            Assert.Equal(before, Runs);                                                        // not worth a wake-up
            Gemm.Sgemm(false, false, 256, 256, 128, 1f, a2, lda2, b2, ldb2, 0f, c2, ldc2);
            Assert.True(Runs > before, "a large product stayed on one thread.");
        }
        finally { KernelThreads.Count = saved; }
    }

    [Fact]
    public void SteadyStateCallsAllocateNothing()
    {
        var (a, lda, b, ldb, c, ldc) = Operands(false, true, 100, 200, 300, pad: 0, seed: 6);
        var (a2, lda2, b2, ldb2, _, ldc2) = Operands(false, false, 32, 784, 9, pad: 0, seed: 7);
        var c2 = new float[2 * 32 * 784];
        void Calls()
        {
            Gemm.Compute(false, true, 100, 200, 300, 1f, a, lda, b, ldb, 0f, c, ldc, 2, Gemm.BestIsa);
            Gemm.Sgemm(false, true, 100, 200, 300, 1f, a, lda, b, ldb, 0f, c, ldc);
            Gemm.SgemmSingleThread(false, true, 100, 200, 300, 1f, a, lda, b, ldb, 0f, c, ldc);
            Gemm.ComputeBatched(false, false, 32, 784, 9, 1f, a2, lda2, 0, b2, ldb2, 0, 0f, c2, ldc2, 32 * 784, 2, 2, Gemm.BestIsa);
        }
        Calls();
        long runs = Runs;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 5; i++) Calls();
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.True(Runs >= runs + 10, "the two-thread calls did not run on the pool.");
    }
}

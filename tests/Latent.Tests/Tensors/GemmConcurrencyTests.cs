// Several user threads calling the GEMM at once: one of them owns the worker pool at a time, the
// others run on their own thread, and every result has the same bits as a lone single-threaded call.
using Latent.Tensors.Kernels;
using static Latent.Tests.Tensors.GemmTests;

namespace Latent.Tests.Tensors;

public class GemmConcurrencyTests
{
    [Fact]
    public void ConcurrentCallersGetTheSameBitsAsALoneCall()
    {
        const int m = 70, n = 90, k = 120;
        var (a, lda, b, ldb, _, ldc) = Operands(false, false, m, n, k, pad: 0, seed: 12);
        var expected = new float[m * ldc];
        Gemm.SgemmSingleThread(false, false, m, n, k, 1f, a, lda, b, ldb, 0f, expected, ldc);
        var failures = 0;
        Parallel.For(0, 4, new ParallelOptions { MaxDegreeOfParallelism = 4 }, _ =>
        {
            var c = new float[m * ldc];
            for (int r = 0; r < 40; r++)
            {
                Array.Fill(c, float.NaN);
                Gemm.Sgemm(false, false, m, n, k, 1f, a, lda, b, ldb, 0f, c, ldc);
                if (!c.AsSpan().SequenceEqual(expected)) Interlocked.Increment(ref failures);
            }
        });
        Assert.Equal(0, failures);
    }
}

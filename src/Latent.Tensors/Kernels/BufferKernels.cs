// Clearing large float buffers on every kernel thread. The backward pass zeroes each fresh gradient buffer before the
// kernels accumulate into it (llm.c's +=): about 100 MB per DCGAN training step, which on one thread left the other
// core idle for several milliseconds per step. Clearing is memory-bound, so two threads gain less than 2x, but the
// zeroing no longer serialises the step. Allocation-free (a reused job object and a cached static body).
using System.Runtime.Intrinsics.X86;
using Latent.Tensors.Threading;

namespace Latent.Tensors.Kernels;

/// <summary>Clearing large float buffers on every kernel thread.</summary>
public static class BufferKernels
{
    /// <summary>Below this many floats per thread Clear runs on the calling thread (waking a worker costs more).</summary>
    internal const int ParallelMin = 1 << 17;

    private sealed class Job
    {
        public nint X;
        public int N, Parts;
    }

    private static readonly Action<Job, int, int, int> ClearParts = static (job, _, p0, p1) =>
    {
        int lo = KernelThreads.AlignedBoundary(job.N, job.Parts, p0), hi = KernelThreads.AlignedBoundary(job.N, job.Parts, p1);
        unsafe { new Span<float>((float*)job.X + lo, hi - lo).Clear(); }
    };

    /// <summary>Floats to rent beyond a scratch's length so that <see cref="Align64"/> of its start still holds it.</summary>
    internal const int AlignSlack = 16;

    /// <summary>p rounded up to a 64-byte boundary (a cache line): the GEMM's packing buffers, and the scratch of the direct
    /// convolution kernels, whose rented arrays start wherever the pool's array did (unaligned planes made their vectors
    /// split cache lines: D1's input gradient 0.40 or 0.58 ms from run to run, branch conv17).</summary>
    internal static unsafe float* Align64(float* p) => (float*)(((nint)p + 63) & ~(nint)63);

    /// <summary>dst[0 .. n) = src[0 .. n) by AVX vectors: the rows of a bordered copy (14 or 28 floats, where a call to
    /// Memmove per row cost as much as the copy; ConvProduce, PixelTilePlan). Needs AVX.</summary>
    internal static unsafe void CopyRow(float* src, float* dst, int n)
    {
        int j = 0;
        for (; j + 8 <= n; j += 8) Avx.Store(dst + j, Avx.LoadVector256(src + j));
        if (j + 4 <= n) { Sse.Store(dst + j, Sse.LoadVector128(src + j)); j += 4; }
        for (; j < n; j++) dst[j] = src[j];
    }

    /// <summary>x = 0, split over the kernel threads (boundaries on multiples of 64 floats) when x is large.</summary>
    public static unsafe void Clear(Span<float> x)
    {
        int n = x.Length, parts = Math.Min(KernelThreads.Count, n / ParallelMin);
        if (parts <= 1) { x.Clear(); return; }
        Job job = ThreadReuse<Job>.Take();
        try
        {
            fixed (float* px = x)
            {
                (job.X, job.N, job.Parts) = ((nint)px, n, parts);
                KernelThreads.For(parts, job, ClearParts);
            }
        }
        finally { ThreadReuse<Job>.Give(job); }
    }
}

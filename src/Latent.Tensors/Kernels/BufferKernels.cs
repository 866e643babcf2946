// Clearing large float buffers on every kernel thread. The backward pass zeroes each fresh gradient buffer before the
// kernels accumulate into it (llm.c's +=): about 100 MB per DCGAN training step, which on one thread left the other
// core idle for several milliseconds per step. Clearing is memory-bound, so two threads gain less than 2x, but the
// zeroing no longer serialises the step.
using Latent.Tensors.Threading;

namespace Latent.Tensors.Kernels;

public static class BufferKernels
{
    /// <summary>Below this many floats Clear runs on the calling thread (waking a worker costs more).</summary>
    internal const int ParallelMin = 1 << 17;

    /// <summary>x = 0, split over the kernel threads (boundaries on multiples of 64 floats) when x is large.</summary>
    public static unsafe void Clear(Span<float> x)
    {
        int n = x.Length, parts = Math.Min(KernelThreads.Count, n / ParallelMin);
        if (parts <= 1) { x.Clear(); return; }
        fixed (float* px = x)
        {
            nint ax = (nint)px;
            KernelThreads.For(parts, (_, p0, p1) =>
            {
                int lo = Boundary(n, parts, p0), hi = Boundary(n, parts, p1);
                new Span<float>((float*)ax + lo, hi - lo).Clear();
            });
        }
    }

    private static int Boundary(int n, int parts, int p) => p >= parts ? n : (int)((long)n * p / parts) & ~63;
}

// The ReLU family on large tensors, split over the kernel threads: one chunk per thread (boundaries on multiples of 64
// floats) when the tensor has at least ParallelMin floats per thread. Element-wise, so the values do not depend on the
// split. The DCGAN's activations are 0.8-1.6 M floats; on one thread they left the other core idle. Allocation-free:
// the chunk bounds travel in a reused job object to a cached static body.
using System.Numerics.Tensors;
using Latent.Tensors.Threading;

namespace Latent.Tensors.Kernels;

public static partial class Activations
{
    /// <summary>Below this many floats per thread an element-wise kernel runs on the calling thread (waking a worker costs more).</summary>
    internal const int ParallelMin = 1 << 16;

    private enum Op { Relu, ReluBackward, ReluBackwardWrite, LeakyRelu, LeakyReluBackward, LeakyReluBackwardWrite }

    private sealed class Job
    {
        public Op Op;
        public nint A, B, C;
        public float Slope;
        public int N, Parts;
    }

    private static readonly Action<Job, int, int, int> RunParts = static (job, _, p0, p1) =>
    {
        int lo = KernelThreads.AlignedBoundary(job.N, job.Parts, p0), hi = KernelThreads.AlignedBoundary(job.N, job.Parts, p1);
        unsafe { Range(job.Op, (float*)job.A, (float*)job.B, (float*)job.C, job.Slope, lo, hi - lo); }
    };

    /// <summary>op over n floats: Relu (a = x, b = y), ReluBackward[Write] (a = y, b = dy, c = dx), LeakyRelu (a = x, b = y),
    /// LeakyReluBackward[Write] (a = x, b = dy, c = dx).</summary>
    private static unsafe void Run(Op op, float* a, float* b, float* c, float slope, int n)
    {
        int parts = Math.Min(KernelThreads.Count, n / ParallelMin);
        if (parts <= 1) { Range(op, a, b, c, slope, 0, n); return; }
        Job job = ThreadReuse<Job>.Take();
        try
        {
            (job.Op, job.A, job.B, job.C, job.Slope, job.N, job.Parts) = (op, (nint)a, (nint)b, (nint)c, slope, n, parts);
            KernelThreads.For(parts, job, RunParts);
        }
        finally { ThreadReuse<Job>.Give(job); }
    }

    private static unsafe void Range(Op op, float* a, float* b, float* c, float slope, int lo, int len)
    {
        if (len <= 0) return;
        var a0 = new ReadOnlySpan<float>(a + lo, len);
        switch (op)
        {
            case Op.Relu: TensorPrimitives.Max(a0, 0f, new Span<float>(b + lo, len)); break;
            case Op.ReluBackward or Op.ReluBackwardWrite:
                ReluBackwardRange(a0, new ReadOnlySpan<float>(b + lo, len), new Span<float>(c + lo, len), op == Op.ReluBackward);
                break;
            case Op.LeakyRelu: LeakyReluForwardRange(a0, slope, new Span<float>(b + lo, len)); break;
            default:
                LeakyReluBackwardRange(a0, new ReadOnlySpan<float>(b + lo, len), slope, new Span<float>(c + lo, len), op == Op.LeakyReluBackward);
                break;
        }
    }
}

// The memory side of a convolution pass's roofline (`bench conv`): the time to read once every tensor the pass must read
// and to write once every tensor it must write, with the pass's threads, nothing else. A pass cannot take less than this
// (it moves at least these bytes) nor less than its flops at the GEMM's rate; it is timed on the pass's own arrays, just
// before the pass, so it sees the same machine: where the 16 MB L3 keeps a 12.8 MB tensor it runs at the cache's speed,
// where a neighbour has taken the cache at memory speed, and the pass with it.
//
//   per thread p (KernelThreads' fixed partition of each array at cache-line boundaries):
//     sum of every vector of reads[i][lo_p .. hi_p)   (four chains of adds; the sum is kept, so the loads are not removed)
//     writes[j][lo_p .. hi_p) = that sum               (Span.Fill: whole-vector stores, the way the kernels write their outputs)
using Latent.Tensors.Kernels;
using Latent.Tensors.Threading;

namespace Latent.Bench;

internal static unsafe class StreamReference
{
    // The loads' sums, kept so that the JIT cannot drop them.
    private static float s_sink;

    /// <summary>An action that reads every array of <paramref name="reads"/> and overwrites every array of
    /// <paramref name="writes"/> once, split over <see cref="KernelThreads.Count"/> threads.</summary>
    public static Action Pass(float[][] reads, float[][] writes)
    {
        ArgumentNullException.ThrowIfNull(reads);
        ArgumentNullException.ThrowIfNull(writes);
        int parts = KernelThreads.Count;
        Action<int, int, int> body = (p, _, _) =>
        {
            float sum = 0;
            foreach (float[] a in reads) sum += Read(a, KernelThreads.AlignedBoundary(a.Length, parts, p), KernelThreads.AlignedBoundary(a.Length, parts, p + 1));
            foreach (float[] a in writes)
            {
                int lo = KernelThreads.AlignedBoundary(a.Length, parts, p);
                a.AsSpan(lo, KernelThreads.AlignedBoundary(a.Length, parts, p + 1) - lo).Fill(sum);   // whole-vector stores
            }
            s_sink += sum;
        };
        return () => KernelThreads.For(parts, body);
    }

    /// <summary>Bytes a pass with these arrays moves at the least: every read array and every written one, once.</summary>
    public static long Bytes(float[][] reads, float[][] writes) =>
        4L * (reads.Sum(a => (long)a.Length) + writes.Sum(a => (long)a.Length));

    // The sum of a[lo .. hi): ConvDirect.RowSum's four vector chains, then the tail.
    private static float Read(float[] a, int lo, int hi)
    {
        fixed (float* p = a) return ConvDirect.RowSum(p + lo, hi - lo);
    }
}

// The memory side of a convolution pass's roofline (`bench conv`): the time to read once every tensor the pass must read
// and to write once every tensor it must write, with the pass's threads, nothing else. A pass cannot take less than this
// (it moves at least these bytes) nor less than its flops at the GEMM's rate; it is timed on the pass's own arrays, just
// before the pass, so it sees the same machine: where the 16 MB L3 keeps a 12.8 MB tensor it runs at the cache's speed,
// where a neighbour has taken the cache at memory speed, and the pass with it.
//
//   per thread p (KernelThreads' fixed partition of each array at cache-line boundaries):
//     sum of every vector of reads[i][lo_p .. hi_p)   (four chains of adds; the sum is kept, so the loads are not removed)
//     writes[j][lo_p .. hi_p) = v                      (whole-vector stores, the way the kernels write their outputs)
using System.Runtime.Intrinsics;
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
            var v = Vector256.Create(sum);
            foreach (float[] a in writes) Write(a, KernelThreads.AlignedBoundary(a.Length, parts, p), KernelThreads.AlignedBoundary(a.Length, parts, p + 1), v);
            s_sink += sum;
        };
        return () => KernelThreads.For(parts, body);
    }

    /// <summary>Bytes a pass with these arrays moves at the least: every read array and every written one, once.</summary>
    public static long Bytes(float[][] reads, float[][] writes) =>
        4L * (reads.Sum(a => (long)a.Length) + writes.Sum(a => (long)a.Length));

    // The sum of a[lo .. hi): four vector chains, then the tail.
    private static float Read(float[] a, int lo, int hi)
    {
        fixed (float* p = a)
        {
            Vector256<float> s0 = default, s1 = default, s2 = default, s3 = default;
            int i = lo;
            for (; i + 32 <= hi; i += 32)
            {
                s0 += Vector256.Load(p + i); s1 += Vector256.Load(p + i + 8); s2 += Vector256.Load(p + i + 16); s3 += Vector256.Load(p + i + 24);
            }
            float sum = Vector256.Sum((s0 + s1) + (s2 + s3));
            for (; i < hi; i++) sum += p[i];
            return sum;
        }
    }

    // a[lo .. hi) = v: whole vectors, then the tail.
    private static void Write(float[] a, int lo, int hi, Vector256<float> v)
    {
        fixed (float* p = a)
        {
            int i = lo;
            for (; i + 8 <= hi; i += 8) v.Store(p + i);
            for (; i < hi; i++) p[i] = v.GetElement(0);
        }
    }
}

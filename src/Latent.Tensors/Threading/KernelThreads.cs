// The thread count of every parallel kernel and the fixed-partition parallel loop they share.
//
// Determinism: work is split into contiguous ranges by a fixed rule (Partition), so the same
// thread count always hands the same indices to the same worker. Kernels built on it compute every
// output element on exactly one thread in a fixed order, and the GEMM is arranged so that even a
// different thread count gives the same bits.
//
// The count defaults to Environment.ProcessorCount, or LATENT_THREADS when that variable holds a
// positive integer; set Count to change it for the whole process.
namespace Latent.Tensors.Threading;

/// <summary>The thread count of every parallel kernel and the fixed-partition parallel loop they share.</summary>
public static class KernelThreads
{
    private static int s_count = DefaultCount();

    /// <summary>Threads a parallel kernel may use (including the calling thread); at least 1.</summary>
    public static int Count
    {
        get => s_count;
        set
        {
            if (value < 1)
                throw new ArgumentOutOfRangeException(nameof(value), value, "KernelThreads.Count must be at least 1 (1 = single-threaded).");
            s_count = value;
        }
    }

    /// <summary>
    /// The fixed split of [0, count) into `parts` contiguous ranges: part p gets [Start, End), the
    /// first (count % parts) parts one element more than the rest.
    /// </summary>
    public static (int Start, int End) Partition(int count, int parts, int part)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfLessThan(parts, 1);
        if ((uint)part >= (uint)parts)
            throw new ArgumentOutOfRangeException(nameof(part), part, $"Part must be in [0, {parts}).");
        int q = count / parts, r = count % parts;
        int start = part * q + Math.Min(part, r);
        return (start, start + q + (part < r ? 1 : 0));
    }

    /// <summary>
    /// Start of part p when n floats are split into `parts` element-wise chunks whose inner boundaries fall on
    /// multiples of 64 floats (whole cache lines); part `parts` starts at n, so part p is [Boundary(p), Boundary(p + 1)).
    /// </summary>
    public static int AlignedBoundary(int n, int parts, int p) => p >= parts ? n : (int)((long)n * p / parts) & ~63;

    /// <summary>
    /// Runs body(worker, start, end) over the fixed partition of [0, count) into
    /// min(Count, count) ranges, one range per worker, and returns when all are done. If the pool is
    /// busy (a call from inside another parallel body) the same ranges run one after another on the
    /// calling thread, so a body that depends on its range still gives the same result.
    /// Allocation-free when `body` is a cached delegate (a static lambda or a stored field).
    /// </summary>
    public static void For(int count, Action<int, int, int> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        For(count, body, static (b, worker, start, end) => b(worker, start, end));
    }

    /// <summary>
    /// The same loop with an explicit state object passed to a static body, so that a caller can
    /// avoid allocating a closure per call: body(state, worker, start, end).
    /// </summary>
    public static void For<TState>(int count, TState state, Action<TState, int, int, int> body)
        where TState : class
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentNullException.ThrowIfNull(body);
        if (count == 0) return;
        int parts = Math.Min(Count, count);
        if (parts > 1)
        {
            var work = ForWork<TState>.Rent();
            work.Set(count, state, body);
            try
            {
                if (WorkerPool.Shared.TryRun(work, parts)) return;
            }
            finally { work.Return(); }
        }
        for (int p = 0; p < parts; p++)
        {
            var (start, end) = Partition(count, parts, p);
            body(state, p, start, end);
        }
    }

    private static int DefaultCount()
        => CountFromEnvironment(Environment.GetEnvironmentVariable("LATENT_THREADS"), Environment.ProcessorCount);

    /// <summary>LATENT_THREADS when it is a positive integer, else the processor count.</summary>
    internal static int CountFromEnvironment(string? value, int processors)
        => int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int n) && n >= 1
            ? n : processors;
}

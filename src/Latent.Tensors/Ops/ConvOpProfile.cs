// Optional wall-clock profile of the convolution and batch-norm primitives, forward and backward separately, keyed
// by op and shape ("conv2d 32->64 14x14 s1"): where a training step spends its time (`train conv-vae --profile`).
// Beside it, every recorded autograd op by name and output shape ("bwd linear (128, 1)"): a backward rule's time is
// exact; an op's forward time is the time since the previous op was recorded (its own work plus whatever the caller
// did between the two: sampling, the optimizer step before a step's first op).
// Off by default; when off an op pays one static bool read. Not thread-safe: enable it on the training thread.
using System.Diagnostics;
using Latent.Tensors.Kernels;

namespace Latent.Tensors.Ops;

/// <summary>Optional wall-clock profile of the convolution and batch-norm primitives, forward and backward separately, keyed by op and shape ("conv2d 32-&gt;64 14x14 s1").</summary>
public static class ConvOpProfile
{
    private static readonly Dictionary<string, (double Ms, int Calls)> Totals = new(StringComparer.Ordinal);
    private static readonly Dictionary<string, (double Ms, int Calls)> OpTotals = new(StringComparer.Ordinal);
    private static long lastRecorded;

    /// <summary>Records times while true.</summary>
    public static bool Enabled { get; set; }

    /// <summary>Accumulated (milliseconds, calls) per "op shape phase" key.</summary>
    public static IReadOnlyDictionary<string, (double Ms, int Calls)> Snapshot() => new Dictionary<string, (double, int)>(Totals);

    /// <summary>Accumulated (milliseconds, calls) per autograd op key, "fwd name (shape)" or "bwd name (shape)": backward
    /// times exact, forward times the time since the previous op was recorded.</summary>
    public static IReadOnlyDictionary<string, (double Ms, int Calls)> OpSnapshot() => new Dictionary<string, (double, int)>(OpTotals);

    /// <summary>Forgets every recorded time; the next op's forward time counts from now.</summary>
    public static void Reset()
    {
        Totals.Clear();
        OpTotals.Clear();
        lastRecorded = Stopwatch.GetTimestamp();
    }

    /// <summary>An op was recorded (Tensor.Record): its forward time is the time since the previous one.</summary>
    internal static void Recorded(string key)
    {
        long now = Stopwatch.GetTimestamp();
        AddOp(key, lastRecorded, now);
        lastRecorded = now;
    }

    /// <summary>A backward rule that started at <paramref name="start"/> has finished.</summary>
    internal static void BackwardDone(string key, long start)
    {
        long now = Stopwatch.GetTimestamp();
        AddOp(key, start, now);
        lastRecorded = now;
    }

    private static void AddOp(string key, long start, long end)
    {
        double ms = Stopwatch.GetElapsedTime(start, end).TotalMilliseconds;
        OpTotals[key] = OpTotals.TryGetValue(key, out var t) ? (t.Ms + ms, t.Calls + 1) : (ms, 1);
    }

    internal static long Start() => Enabled ? Stopwatch.GetTimestamp() : 0;

    internal static void Stop(long start, string op, in ConvShape g, string phase)
    {
        if (!Enabled) return;
        Add($"{op} {g.InChannels}->{g.OutChannels} {g.InHeight}x{g.InWidth} s{g.Stride} {phase}", start);
    }

    internal static void Stop(long start, string op, int channels, int spatial, string phase)
    {
        if (!Enabled) return;
        Add($"{op} C{channels} S{spatial} {phase}", start);
    }

    private static void Add(string key, long start)
    {
        double ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        Totals[key] = Totals.TryGetValue(key, out var t) ? (t.Ms + ms, t.Calls + 1) : (ms, 1);
    }
}

// Optional wall-clock profile of the convolution and batch-norm primitives, forward and backward separately, keyed
// by op and shape ("conv2d 32->64 14x14 s1"): where a training step spends its time (`train conv-vae --profile`).
// Off by default; when off an op pays one static bool read. Not thread-safe: enable it on the training thread.
using System.Diagnostics;
using Latent.Tensors.Kernels;

namespace Latent.Tensors.Ops;

/// <summary>Optional wall-clock profile of the convolution and batch-norm primitives, forward and backward separately, keyed by op and shape ("conv2d 32-&gt;64 14x14 s1").</summary>
public static class ConvOpProfile
{
    private static readonly Dictionary<string, (double Ms, int Calls)> Totals = new(StringComparer.Ordinal);

    /// <summary>Records times while true.</summary>
    public static bool Enabled { get; set; }

    /// <summary>Accumulated (milliseconds, calls) per "op shape phase" key.</summary>
    public static IReadOnlyDictionary<string, (double Ms, int Calls)> Snapshot() => new Dictionary<string, (double, int)>(Totals);

    /// <summary>Forgets every recorded time.</summary>
    public static void Reset() => Totals.Clear();

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

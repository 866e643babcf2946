// Issue 20: where a training run's memory goes, epoch by epoch. With the environment variable LATENT_MEMORY_TRACE set
// (to anything but "0"), the trainer writes one line per stage of every epoch to standard error: the managed bytes
// allocated by the stage (GC.GetTotalAllocatedBytes, precise), the collector's view after its last collection
// (GC.GetGCMemoryInfo: heap size, fragmentation, committed bytes, and each generation's size after it: gen0, gen1,
// gen2, LOH, POH), collection counts, the process's working set and private bytes, and the trainer pool's counters.
// LATENT_MEMORY_TRACE=full also forces a full, compacting collection before each line and reports the heap that
// survives it (GC.GetTotalMemory after the collection): what the run really keeps, as opposed to garbage not yet
// collected. It changes what it measures (it collects), so it is a diagnostic only, never a setting.
// LATENT_MEMORY_TRACE=loh adds, per stage, the large-object-heap allocations (arrays of 85,000 bytes and more, which
// only a full collection frees) by type and size, from the runtime's allocation-tick events (LargeAllocations).
using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using Latent.Tensors;

namespace Latent.Models.Training;

/// <summary>Per-epoch memory diagnostics of a training run (issue 20), written to standard error when LATENT_MEMORY_TRACE is set.</summary>
public sealed class MemoryTrace : IDisposable
{
    /// <summary>The environment variable that turns the trace on ("full": with a compacting collection before each line).</summary>
    public const string Variable = "LATENT_MEMORY_TRACE";

    private readonly TextWriter output;
    private readonly bool full;
    private readonly LargeAllocations? large;
    private long allocated;

    /// <summary>A trace writing to <paramref name="output"/>; <paramref name="full"/> collects before each line.</summary>
    public MemoryTrace(TextWriter output, bool full, bool large = false)
    {
        ArgumentNullException.ThrowIfNull(output);
        this.output = output;
        this.full = full;
        if (large) this.large = new LargeAllocations();
        allocated = GC.GetTotalAllocatedBytes(precise: true);
    }

    /// <summary>The trace the environment asks for (standard error), or null when LATENT_MEMORY_TRACE is unset or "0".</summary>
    public static MemoryTrace? FromEnvironment()
    {
        string? v = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrEmpty(v) || v == "0") return null;
        return new MemoryTrace(Console.Error, string.Equals(v, "full", StringComparison.OrdinalIgnoreCase),
            string.Equals(v, "loh", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Writes one line for the end of <paramref name="stage"/> of <paramref name="epoch"/>.</summary>
    public void Mark(int epoch, string stage, BufferPool? pool)
    {
        long now = GC.GetTotalAllocatedBytes(precise: true);
        long delta = now - allocated;
        string kept = "";
        if (full)
        {
            GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
            kept = string.Create(CultureInfo.InvariantCulture, $" live {Mb(GC.GetTotalMemory(false))}");
        }
        var info = GC.GetGCMemoryInfo(GCKind.Any);
        var gens = info.GenerationInfo.ToArray();
        string Gen(int i) => i < gens.Length ? Mb(gens[i].SizeAfterBytes) + "/" + Mb(gens[i].FragmentationAfterBytes) : "-";
        using var p = Process.GetCurrentProcess();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"memtrace epoch {epoch} {stage,-10} alloc {Mb(delta)} heap {Mb(info.HeapSizeBytes)} frag {Mb(info.FragmentedBytes)} " +
            $"committed {Mb(info.TotalCommittedBytes)} gen0 {Gen(0)} gen1 {Gen(1)} gen2 {Gen(2)} loh {Gen(3)} poh {Gen(4)} " +
            $"gc {GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)} ws {Mb(p.WorkingSet64)} private {Mb(p.PrivateMemorySize64)} " +
            $"pool retained {Mb(pool?.RetainedBytes ?? 0)} peak {Mb(pool?.PeakBytes ?? 0)}{kept}"));
        if (large is not null)
            foreach (var line in large.Drain()) output.WriteLine($"memtrace epoch {epoch} {stage,-10} large {line}");
        output.Flush();
        allocated = GC.GetTotalAllocatedBytes(precise: true);
    }

    /// <summary>Stops listening to the runtime's allocation events (LATENT_MEMORY_TRACE=loh).</summary>
    public void Dispose() => large?.Dispose();

    private static string Mb(long bytes) => (bytes / 1048576.0).ToString("0.0", CultureInfo.InvariantCulture);
}

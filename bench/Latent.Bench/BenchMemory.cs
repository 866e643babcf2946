// The memory figures every benchmark prints beside its speed (issue 20): the process's peak resident set (VmHWM of
// /proc/self/status, what `/usr/bin/time -v` reports as "Maximum resident set size"; elsewhere the peak working set)
// and the managed heap (GC.GetGCMemoryInfo().HeapSizeBytes after the last collection, and the largest value seen at
// any Sample, live objects plus garbage not yet collected, i.e. max(HeapSizeBytes, GC.GetTotalMemory(false))).
// Call Sample at the points where the heap is largest (after each epoch, after each timed case).
using System.Diagnostics;
using System.Globalization;

namespace Latent.Bench;

internal static class BenchMemory
{
    private static long peakHeap;

    /// <summary>Records the managed heap now into the peak.</summary>
    public static void Sample() =>
        peakHeap = Math.Max(peakHeap, Math.Max(GC.GetGCMemoryInfo().HeapSizeBytes, GC.GetTotalMemory(forceFullCollection: false)));

    /// <summary>Peak resident set of the process so far, in bytes.</summary>
    public static long PeakResidentBytes()
    {
        try
        {
            foreach (string line in File.ReadLines("/proc/self/status"))
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                    return long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture) * 1024;
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        using var self = Process.GetCurrentProcess();
        return self.PeakWorkingSet64;
    }

    /// <summary>Managed heap after the last collection, in bytes.</summary>
    public static long HeapBytes() => GC.GetGCMemoryInfo().HeapSizeBytes;

    /// <summary>The largest managed heap seen by <see cref="Sample"/> (sampled now too), in bytes.</summary>
    public static long PeakHeapBytes()
    {
        Sample();
        return peakHeap;
    }

    /// <summary>"peak RSS 512 MB, managed heap 210 MB (peak 260 MB)".</summary>
    public static string Line() => string.Create(CultureInfo.InvariantCulture,
        $"peak RSS {Mb(PeakResidentBytes()):F0} MB, managed heap {Mb(HeapBytes()):F0} MB (peak {Mb(PeakHeapBytes()):F0} MB)");

    /// <summary>The same figures as JSON members (no braces): "peakRssMB": 512.0, "heapMB": 210.0, "peakHeapMB": 260.0.</summary>
    public static string JsonMembers() => string.Create(CultureInfo.InvariantCulture,
        $"\"peakRssMB\": {Mb(PeakResidentBytes()):F1}, \"heapMB\": {Mb(HeapBytes()):F1}, \"peakHeapMB\": {Mb(PeakHeapBytes()):F1}");

    /// <summary>The same figures as entries of a JSON row built as a dictionary.</summary>
    public static void AddTo(IDictionary<string, object> row)
    {
        ArgumentNullException.ThrowIfNull(row);
        row["peakRssMB"] = Math.Round(Mb(PeakResidentBytes()), 1);
        row["heapMB"] = Math.Round(Mb(HeapBytes()), 1);
        row["peakHeapMB"] = Math.Round(Mb(PeakHeapBytes()), 1);
    }

    public static double Mb(long bytes) => bytes / (1024.0 * 1024.0);
}

// Issue 20's diagnostic of what a run allocates on the large object heap (LATENT_MEMORY_TRACE=loh, MemoryTrace): the
// runtime's GCAllocationTick events (keyword GC, level verbose) fire about every 100 KB allocated of each kind, and
// every large object (85,000 bytes or more) crosses that mark, so the events of kind "large" list nearly every large
// allocation with its type and size. Large objects die only in a full collection, so a run that allocates a few
// fresh ones per epoch grows until the collector's large-object budget is spent: the events name them.
using System.Collections.Concurrent;
using System.Diagnostics.Tracing;
using System.Globalization;

namespace Latent.Models.Training;

/// <summary>Counts the process's large-object allocations by type and size, from the runtime's allocation-tick events.</summary>
public sealed class LargeAllocations : EventListener
{
    private const EventKeywords GcKeyword = (EventKeywords)0x1;
    private const int AllocationTick = 10;
    private readonly ConcurrentDictionary<(string Type, long Bytes), int> counts = new();

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        ArgumentNullException.ThrowIfNull(eventSource);
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime") EnableEvents(eventSource, EventLevel.Verbose, GcKeyword);
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        if (eventData.EventId != AllocationTick || eventData.Payload is null || eventData.PayloadNames is null) return;
        object? Field(string name) { int i = eventData.PayloadNames.IndexOf(name); return i < 0 ? null : eventData.Payload[i]; }
        if (Convert.ToInt32(Field("AllocationKind"), CultureInfo.InvariantCulture) != 1) return;   // 1 = large object heap
        string type = Field("TypeName") as string ?? "?";
        long size = Field("ObjectSize") is { } o ? Convert.ToInt64(o, CultureInfo.InvariantCulture) : 0;
        counts.AddOrUpdate((type, size), 1, (_, n) => n + 1);
    }

    /// <summary>"N x TYPE (BYTES bytes)" for each kind of large object seen since the last call, largest total first.</summary>
    public IReadOnlyList<string> Drain()
    {
        var seen = counts.ToArray();
        foreach (var kv in seen) counts.AddOrUpdate(kv.Key, 0, (_, n) => n - kv.Value);
        return [.. seen.Where(kv => kv.Value > 0).OrderByDescending(kv => kv.Key.Bytes * kv.Value)
            .Select(kv => string.Create(CultureInfo.InvariantCulture, $"{kv.Value} x {kv.Key.Type} ({kv.Key.Bytes} bytes)"))];
    }
}

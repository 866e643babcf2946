// A temporary GC heap hard limit (GC.RefreshMemoryLimit with AppContext "GCHeapHardLimit", .NET 8+) around a fuzz
// campaign: an input that really allocates gigabytes (a header-sized buffer that is then filled) meets an
// OutOfMemoryException, reported as a finding, instead of swapping the shared machine. Disposing lifts the limit.
namespace Latent.Tests.Fuzz;

public sealed class HeapLimit : IDisposable
{
    private readonly bool applied;
    private readonly ulong previous = AppContext.GetData("GCHeapHardLimit") is ulong v ? v : 0;

    /// <summary>Limits the GC heap to what is committed now plus <paramref name="headroomBytes"/>.</summary>
    public HeapLimit(long headroomBytes)
    {
        GC.Collect();
        ulong limit = (ulong)(GC.GetGCMemoryInfo().TotalCommittedBytes + headroomBytes);
        applied = Set(limit);
    }

    public void Dispose()
    {
        if (applied) Set(previous);
    }

    private static bool Set(ulong limit)
    {
        AppContext.SetData("GCHeapHardLimit", limit);
        try
        {
            GC.RefreshMemoryLimit();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}

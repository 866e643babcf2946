// How much memory a read may claim: three quarters of what the GC may use in this process
// (GCMemoryInfo.TotalAvailableMemoryBytes: DOTNET_GCHeapHardLimit when set, else the container's or
// machine's memory). A file whose header asks for more is refused before anything is allocated, so
// a small file that declares (and may really hold, e.g. a gzip of zeros) gigabytes is a clear error
// rather than an OutOfMemoryException.
namespace Latent.Data;

/// <summary>How much memory a read may claim.</summary>
public static class MemoryBudget
{
    /// <summary>The bytes a single read may allocate.</summary>
    public static long Available => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 4 * 3;

    /// <summary>Throws a DataException naming <paramref name="name"/> when <paramref name="bytes"/> exceed the budget.</summary>
    public static void Check(string name, long bytes, string what)
    {
        long available = Available;
        if (bytes > available)
            throw new DataException($"{name}: {what} needs {bytes >> 20} MiB of memory, more than the {available >> 20} MiB this process may use " +
                "(DOTNET_GCHeapHardLimit or the machine's memory); use a smaller file or give the process more memory.");
    }
}

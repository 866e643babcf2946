// mkfifo(3) for tests that put a named pipe where a file is expected (opening one for reading waits for a writer).
using System.Runtime.InteropServices;

namespace Latent.Tests.Reporting;

internal static partial class UnixFifo
{
    /// <summary>Creates a FIFO at <paramref name="path"/> (mode 0644).</summary>
    public static void Create(string path)
    {
        if (MkFifo(path, 0b110_100_100) != 0)
            throw new IOException($"mkfifo {path} failed: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
    }

    [LibraryImport("libc", EntryPoint = "mkfifo", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial int MkFifo(string path, uint mode);
}

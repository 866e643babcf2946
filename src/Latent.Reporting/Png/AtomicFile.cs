// Writes a file so that the target holds either its old contents or the complete new ones, never a part: the
// bytes go to a temporary file in the same folder ("<name>.tmp-<pid>"), are flushed to disk, and the temporary is
// renamed over the target (rename(2) is atomic within a file system). A failed write (disk full, an exception in
// the writer) removes the temporary; a process killed mid-write leaves one, which the next write to the same
// target removes when its process is gone. A target that exists and is not a regular file (a directory, a
// device such as /dev/null, a FIFO) is refused rather than replaced.
// Reference: rename(2) ("If newpath already exists, it will be atomically replaced").
using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("Latent.Tests")]

namespace Latent.Reporting.Png;

internal static class AtomicFile
{
    private const string TmpInfix = ".tmp-";

    /// <summary>Writes <paramref name="path"/> through <paramref name="write"/>, atomically (see the file header).</summary>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(write);
        string full = Path.GetFullPath(path);
        if (Directory.Exists(full))
            throw new IOException($"{path} is a directory; give a file name to write.");
        if (File.Exists(full)) RegularFile.Size(full, long.MaxValue, emptyIsRegular: true); // throws for a device, FIFO, socket
        RemoveStaleTemporaries(full);
        string tmp = full + TmpInfix + Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        try
        {
            using (var fs = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                write(fs);
                fs.Flush(flushToDisk: true);
            }
            File.Move(tmp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(tmp)) File.Delete(tmp);
        }
    }

    /// <summary>Deletes "<paramref name="full"/>.tmp-PID" files whose process no longer runs (left by a kill).</summary>
    private static void RemoveStaleTemporaries(string full)
    {
        string? dir = Path.GetDirectoryName(full);
        if (dir is null || !Directory.Exists(dir)) return;
        string prefix = Path.GetFileName(full) + TmpInfix;
        foreach (string tmp in Directory.EnumerateFiles(dir, prefix + "*"))
        {
            if (!int.TryParse(Path.GetFileName(tmp).AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out int pid)
                || pid == Environment.ProcessId || IsRunning(pid))
                continue;
            try
            {
                File.Delete(tmp);
            }
            catch (IOException)
            {
                // another process removed or holds it: not ours to fight over
            }
            catch (UnauthorizedAccessException)
            {
                // not ours to remove
            }
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var p = Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}

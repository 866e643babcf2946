// Writing an output so that nothing is lost and nothing is left behind (issue 12, items 1, 3 and 4):
//   1. the target must be nothing or a regular file (never a device, FIFO, socket or folder, nor a symlink to
//      one: renaming over /dev/null would replace the device), in an existing folder;
//   2. the output lock is held while writing (unless this process already holds it for the whole run);
//   3. temporaries that dead processes left beside the target are removed;
//   4. the bytes go to "<path>.tmp-<pid>", are flushed to disk, and the temporary is renamed over the target,
//      so a reader sees the old file or the new one, never a half-written one; on any failure the temporary
//      is deleted and the target is untouched.
// Used by checkpoints; meant for every file Latent writes (PNG grids, reports, datasets).
namespace Latent.IO;

/// <summary>Writing an output so that nothing is lost and nothing is left behind (issue 12, items 1, 3 and 4).</summary>
public static class AtomicFile
{
    /// <summary>Writes <paramref name="path"/> atomically with what <paramref name="write"/> puts in the stream.</summary>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        string full = EnsureWritableTarget(path);
        using OutputLock? own = OutputLock.IsHeld(full) ? null : OutputLock.Acquire(full);
        StaleTemporaries.Clean(full);
        string tmp = StaleTemporaries.NameFor(full);
        try
        {
            using (var fs = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                write(fs);
                fs.Flush(flushToDisk: true);
            }
            EnsureReplaceable(path, full);                // the target may have changed while we wrote
            File.Move(tmp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(tmp)) File.Delete(tmp);
        }
    }

    /// <summary>Checks, before any work, that <paramref name="path"/> can be written as an output: a non-empty path
    /// whose folder exists and which names nothing or a regular file. Returns the full path; throws an
    /// ArgumentException (empty path), DirectoryNotFoundException (no folder) or IOException (not a regular
    /// file) with a one-line message.</summary>
    public static string EnsureWritableTarget(string path)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new ArgumentException("the output path is empty; give a file name.", nameof(path));
        string full = Path.GetFullPath(path);
        string? dir = Path.GetDirectoryName(full);
        if (dir is not null)
        {
            FileKind folder = FileKinds.Of(dir);
            if (folder == FileKind.None) throw new DirectoryNotFoundException($"the folder '{dir}' of the output '{path}' does not exist; create it first.");
            if (folder != FileKind.Directory) throw new IOException($"'{dir}', the folder of the output '{path}', is {FileKinds.Describe(folder)}, not a folder.");
        }
        EnsureReplaceable(path, full);
        return full;
    }

    private static void EnsureReplaceable(string path, string full)
    {
        FileKind kind = FileKinds.Of(full);
        if (kind is FileKind.None or FileKind.Regular) return;
        throw new IOException($"the output {FileKinds.Through(path)} is {FileKinds.Describe(kind)}, not a regular file; " +
            "Latent replaces only regular files: choose another output path.");
    }
}

// An exclusive lock on an output path for as long as a run writes it, so that two runs given the same output
// cannot silently overwrite each other (issue 12, item 3): the second one gets a clear IOException naming the
// holder's pid.
// On Linux the lock is flock(LOCK_EX) on "<path>.lock" (man 2 flock), which the kernel holds for the open file
// description and drops when the process dies, kill -9 included: a lock file left behind by a dead run never
// blocks. The holder writes its pid into the file for the message, and deletes the file when done; since a
// waiter may have opened the file just before that deletion, a lock only counts once the locked descriptor
// is still the file at the path (same device and inode), otherwise the acquisition starts again.
// Elsewhere it falls back to .NET's FileShare.None with DeleteOnClose (same exclusion, no pid in the message).
// A lock is per acquisition, not per process: acquiring a path twice in one process fails too.
using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Latent.IO;

/// <summary>An exclusive lock on an output path for as long as a run writes it, so that two runs given the same output cannot silently overwrite each other (issue 12, item 3).</summary>
public sealed class OutputLock : IDisposable
{
    private static readonly ConcurrentDictionary<string, OutputLock> Held = new(StringComparer.Ordinal);

    private readonly string target;
    private readonly string lockPath;
    private SafeFileHandle? handle;
    private FileStream? fallback;

    private OutputLock(string target, string lockPath, SafeFileHandle? handle, FileStream? fallback)
    {
        this.target = target;
        this.lockPath = lockPath;
        this.handle = handle;
        this.fallback = fallback;
    }

    /// <summary>The lock file of an output: "&lt;path&gt;.lock".</summary>
    public static string LockPathFor(string path) => Path.GetFullPath(path) + ".lock";

    /// <summary>Whether this process holds the lock of <paramref name="path"/> (through an undisposed <see cref="Acquire"/>).</summary>
    public static bool IsHeld(string path) => Held.ContainsKey(Path.GetFullPath(path));

    /// <summary>The pid written in the lock file of <paramref name="path"/>, read without taking any lock (on Linux;
    /// null elsewhere, or when there is no lock file or no pid in it). A pid there does not mean the lock is held.</summary>
    public static int? RecordedPid(string path)
    {
        if (!LinuxFiles.Available) return null;
        using SafeFileHandle? h = LinuxFiles.OpenReadOnly(LockPathFor(path));
        return h is null ? null : ReadPid(h);
    }

    /// <summary>Takes the lock of <paramref name="path"/>, or throws an IOException when another run (or another
    /// acquisition in this process) holds it. Dispose to release.</summary>
    public static OutputLock Acquire(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string full = Path.GetFullPath(path);
        string lockPath = LockPathFor(full);
        if (Held.ContainsKey(full)) throw Busy(full, Environment.ProcessId);
        OutputLock taken = LinuxFiles.Available ? AcquireLinux(full, lockPath) : AcquireFallback(full, lockPath);
        if (!Held.TryAdd(full, taken))
        {
            taken.Release(deleteFile: false);
            throw Busy(full, Environment.ProcessId);
        }
        return taken;
    }

    private static OutputLock AcquireLinux(string full, string lockPath)
    {
        for (int attempt = 0; ; attempt++)
        {
            SafeFileHandle h = LinuxFiles.OpenOrCreate(lockPath);
            try
            {
                int errno = LinuxFiles.TryLockExclusive(h);
                if (errno == LinuxFiles.WouldBlock) throw Busy(full, ReadPid(h));
                if (errno != 0) throw new IOException($"Cannot lock '{lockPath}' (error {errno}); is the output on a file system without locks?");
                LinuxFiles.Status mine = LinuxFiles.Stat(h, lockPath);
                if (LinuxFiles.Stat(lockPath) is { } there && there.Inode == mine.Inode && there.DevMajor == mine.DevMajor && there.DevMinor == mine.DevMinor)
                {
                    WritePid(h);
                    return new OutputLock(full, lockPath, h, null);
                }
                if (attempt >= 100) throw new IOException($"Cannot lock '{lockPath}': the lock file keeps being replaced.");
            }
            catch
            {
                h.Dispose();
                throw;
            }
            h.Dispose();                                   // the holder deleted the file we had opened: start again
        }
    }

    private static OutputLock AcquireFallback(string full, string lockPath)
    {
        try
        {
            var fs = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            WritePid(fs.SafeFileHandle);
            return new OutputLock(full, lockPath, null, fs);
        }
        catch (IOException e) when (e is not FileNotFoundException and not DirectoryNotFoundException)
        {
            throw Busy(full, null);
        }
    }

    private static IOException Busy(string full, int? pid) => new(
        $"another run {(pid is int p ? $"(pid {p}) " : "")}is writing '{full}'; wait for it to finish or choose another output path.");

    private static void WritePid(SafeFileHandle h)
    {
        byte[] pid = Encoding.ASCII.GetBytes(Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "\n");
        RandomAccess.SetLength(h, 0);
        RandomAccess.Write(h, pid, 0);
    }

    private static int? ReadPid(SafeFileHandle h)
    {
        Span<byte> buf = stackalloc byte[16];
        int n;
        try { n = RandomAccess.Read(h, buf, 0); }
        catch (IOException) { return null; }
        return int.TryParse(Encoding.ASCII.GetString(buf[..n]).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int pid) ? pid : null;
    }

    /// <summary>Releases the lock and removes the lock file.</summary>
    public void Dispose()
    {
        if (handle is null && fallback is null) return;
        Held.TryRemove(new KeyValuePair<string, OutputLock>(target, this));
        Release(deleteFile: true);
    }

    private void Release(bool deleteFile)
    {
        if (handle is not null)
        {
            // Delete while still holding the lock, then close: a waiter that opened the old file sees it replaced.
            if (deleteFile)
            {
                try { File.Delete(lockPath); }
                catch (IOException) { }
                catch (UnauthorizedAccessException) { }
            }
            handle.Dispose();
            handle = null;
        }
        fallback?.Dispose();
        fallback = null;
    }
}

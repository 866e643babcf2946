// The few Linux system calls .NET does not expose (man 2 statx, man 2 open, man 2 flock): the file type of a
// path or an open descriptor (st_mode & S_IFMT), its inode, and advisory whole-file locks held by an open file
// description (released by the kernel when the process dies, even by kill -9). struct statx has one layout on
// every Linux architecture, which is why it is used instead of stat.
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Latent.IO;

internal static partial class LinuxFiles
{
    private const int AtFdCwd = -100, AtEmptyPath = 0x1000;
    private const uint StatxType = 0x1, StatxIno = 0x100;
    private const int ORdwr = 2, OCreat = 0x40, OCloexec = 0x80000;
    private const int LockEx = 2, LockNb = 4;
    /// <summary>EWOULDBLOCK (= EAGAIN) on Linux: the lock is held by another open file description.</summary>
    public const int WouldBlock = 11;
    private const int Enoent = 2, Enotdir = 20, Eloop = 40;

    /// <summary>Whether these calls can be used: Linux with a C library that has statx (glibc 2.28, musl 1.2.5);
    /// elsewhere the callers fall back to what .NET offers.</summary>
    public static bool Available => available.Value;

    private static readonly Lazy<bool> available = new(() =>
    {
        if (!OperatingSystem.IsLinux()) return false;
        try { return Stat("/") is not null; }
        catch (DllNotFoundException) { return false; }
        catch (EntryPointNotFoundException) { return false; }
        catch (IOException) { return false; }                     // e.g. ENOSYS under an old kernel or a sandbox
    });

    /// <summary>The type bits and identity (device, inode) of a stat result.</summary>
    public readonly record struct Status(int Mode, ulong Inode, uint DevMajor, uint DevMinor)
    {
        public FileKind Kind => (Mode & 0xF000) switch
        {
            0x8000 => FileKind.Regular,
            0x4000 => FileKind.Directory,
            0x2000 => FileKind.CharacterDevice,
            0x6000 => FileKind.BlockDevice,
            0x1000 => FileKind.Fifo,
            0xC000 => FileKind.Socket,
            _ => FileKind.Other,
        };
    }

    /// <summary>stat of <paramref name="path"/> following symlinks; null when nothing is there.</summary>
    public static Status? Stat(string path)
    {
        Span<byte> buf = stackalloc byte[256];
        if (Statx(AtFdCwd, path, 0, StatxType | StatxIno, buf) == 0) return Decode(buf);
        int errno = Marshal.GetLastPInvokeError();
        if (errno is Enoent or Enotdir) return null;
        if (errno == Eloop) throw new IOException($"{path} is a symbolic link that loops (or nests too deeply); replace it with the file itself.");
        throw new IOException($"Cannot inspect '{path}': {Marshal.GetPInvokeErrorMessage(errno)}.");
    }

    /// <summary>stat of an open descriptor.</summary>
    public static Status Stat(SafeFileHandle handle, string path)
    {
        Span<byte> buf = stackalloc byte[256];
        bool added = false;
        handle.DangerousAddRef(ref added);
        try
        {
            if (Statx((int)handle.DangerousGetHandle(), "", AtEmptyPath, StatxType | StatxIno, buf) == 0) return Decode(buf);
            throw new IOException($"Cannot inspect '{path}': {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}.");
        }
        finally { if (added) handle.DangerousRelease(); }
    }

    /// <summary>Opens (creating if needed, mode 0644, close-on-exec so that child processes never inherit a lock).</summary>
    public static SafeFileHandle OpenOrCreate(string path)
    {
        int fd = Open(path, ORdwr | OCreat | OCloexec, 0x1A4);
        if (fd < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            string why = Marshal.GetPInvokeErrorMessage(errno);
            if (errno == 13) throw new UnauthorizedAccessException($"Cannot create the lock file '{path}': {why}.");
            throw new IOException($"Cannot create the lock file '{path}': {why}.");
        }
        return new SafeFileHandle(fd, ownsHandle: true);
    }

    /// <summary>Opens read-only without any lock (.NET's FileStream would take flock(LOCK_SH) and fail while a lock is
    /// held); null when the file does not exist.</summary>
    public static SafeFileHandle? OpenReadOnly(string path)
    {
        int fd = Open(path, OCloexec, 0);
        if (fd >= 0) return new SafeFileHandle(fd, ownsHandle: true);
        int errno = Marshal.GetLastPInvokeError();
        if (errno is Enoent or Enotdir) return null;
        throw new IOException($"Cannot open '{path}': {Marshal.GetPInvokeErrorMessage(errno)}.");
    }

    /// <summary>flock(LOCK_EX | LOCK_NB): 0 when taken, else the errno (<see cref="WouldBlock"/> when held elsewhere).</summary>
    public static int TryLockExclusive(SafeFileHandle handle)
    {
        bool added = false;
        handle.DangerousAddRef(ref added);
        try { return Flock((int)handle.DangerousGetHandle(), LockEx | LockNb) == 0 ? 0 : Marshal.GetLastPInvokeError(); }
        finally { if (added) handle.DangerousRelease(); }
    }

    private static Status Decode(ReadOnlySpan<byte> b) => new(
        BitConverter.ToUInt16(b[28..]), BitConverter.ToUInt64(b[32..]), BitConverter.ToUInt32(b[136..]), BitConverter.ToUInt32(b[140..]));

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(int dirfd, string path, int flags, uint mask, Span<byte> statxbuf);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "flock", SetLastError = true)]
    private static partial int Flock(int fd, int operation);
}

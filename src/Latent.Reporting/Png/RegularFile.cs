// Reads input files only when they are regular files of bounded size: a symbolic link is followed to its final
// target, and a target that is a FIFO (opening it would wait for a writer for ever), a device (/dev/zero never
// ends), a socket or a directory is refused by path before it is opened; so is a symbolic link loop, and a
// file larger than the caller's limit. Reading stops at the limit even if the file grows meanwhile.
// On Linux the file type comes from statx(2), whose struct layout is the same on every architecture; elsewhere
// (or where statx is missing) .NET's FileInfo is used, which cannot tell a FIFO or a device from an empty file,
// so an empty target is refused as "empty or not a regular file" (such targets all report size 0).
// Reference: statx(2), inode(7) (S_IFMT file types), path_resolution(7) (ELOOP).
using System.Runtime.InteropServices;

namespace Latent.Reporting.Png;

internal static partial class RegularFile
{
    /// <summary>Bytes of a regular file named <paramref name="path"/> (symbolic links followed); anything else, or
    /// more than <paramref name="maxBytes"/> bytes, is an error naming the path and saying what to do. Where only
    /// FileInfo is available, an empty file is refused too, unless <paramref name="emptyIsRegular"/> (then a FIFO or
    /// device passes there; on Linux the answer is always exact).</summary>
    public static long Size(string path, long maxBytes, bool emptyIsRegular = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        long size = OperatingSystem.IsLinux() && TryStatx(path, out int mode, out long statxSize, out int errno)
            ? Interpret(path, mode, statxSize, errno)
            : Managed(path, emptyIsRegular);
        if (size > maxBytes)
            throw new InvalidDataException(
                $"{path} is {size} bytes, more than the limit of {maxBytes} bytes for one image; use a smaller file or raise the limit.");
        return size;
    }

    /// <summary>The whole file, after <see cref="Size"/>'s checks; at most <paramref name="maxBytes"/> bytes are read.</summary>
    public static byte[] ReadAllBytes(string path, long maxBytes) => Read(path, maxBytes, maxBytes);

    /// <summary>At most the first <paramref name="count"/> bytes of the file, after <see cref="Size"/>'s checks.</summary>
    public static byte[] ReadPrefix(string path, int count, long maxBytes) => Read(path, maxBytes, Math.Min(count, maxBytes));

    private static byte[] Read(string path, long maxBytes, long want)
    {
        long size = Size(path, maxBytes);
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
        var buffer = new byte[Math.Min(size, want)];
        int got = 0;
        while (true)
        {
            if (got == buffer.Length)
            {
                if (buffer.Length >= want) break;
                Array.Resize(ref buffer, (int)Math.Min(want, Math.Max(4096, 2L * buffer.Length))); // the file grew
            }
            int n = fs.Read(buffer, got, buffer.Length - got);
            if (n == 0) break;
            got += n;
        }
        if (want == maxBytes && got == maxBytes && fs.ReadByte() >= 0)
            throw new InvalidDataException(
                $"{path} grew past the limit of {maxBytes} bytes for one image while it was read; use a smaller file or raise the limit.");
        return got == buffer.Length ? buffer : buffer[..got];
    }

    private const int AtFdCwd = -100, StatxType = 0x1, StatxSize = 0x200, ENoEnt = 2, ELoop = 40;

    /// <summary>statx(AT_FDCWD, path, 0 = follow links, TYPE | SIZE): false when the call itself is unavailable.</summary>
    private static unsafe bool TryStatx(string path, out int mode, out long size, out int errno)
    {
        byte* buffer = stackalloc byte[256];                 // struct statx: 256 bytes on every architecture
        (mode, size, errno) = (0, 0, 0);
        int rc;
        try
        {
            rc = Statx(AtFdCwd, path, 0, StatxType | StatxSize, buffer);
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            return false;                                    // an old C library: fall back to FileInfo
        }
        if (rc != 0)
        {
            errno = Marshal.GetLastPInvokeError();
            return errno != 38;                              // ENOSYS (a sandbox without statx): fall back
        }
        mode = *(ushort*)(buffer + 0x1C) & 0xF000;                        // stx_mode (native order): S_IFMT bits
        size = (long)Math.Min(*(ulong*)(buffer + 0x28), long.MaxValue);   // stx_size
        return true;
    }

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static unsafe partial int Statx(int dirfd, string path, int flags, uint mask, byte* buffer);

    private static long Interpret(string path, int mode, long size, int errno)
    {
        if (errno == ELoop)
            throw new IOException($"{path} is a symbolic link that loops (or nests too deeply); replace it with the file itself.");
        if (errno == ENoEnt)
            throw new FileNotFoundException(Dangling(path) ?? $"{path} does not exist.", path);
        if (errno != 0)
            throw new IOException($"{path} cannot be examined: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno}).");
        string? kind = mode switch
        {
            0x8000 => null,
            0x1000 => "a FIFO (named pipe)",
            0x2000 => "a character device",
            0x4000 => "a directory",
            0x6000 => "a block device",
            0xC000 => "a socket",
            _ => $"a special file (type 0x{mode:X4})",
        };
        if (kind is not null) throw NotRegular(path, kind);
        return size;
    }

    private static long Managed(string path, bool emptyIsRegular)
    {
        var info = new FileInfo(path);
        string target = path;
        if (info.LinkTarget is not null)
        {
            try
            {
                target = info.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? path;
            }
            catch (IOException)
            {
                throw new IOException($"{path} is a symbolic link that loops (or nests too deeply); replace it with the file itself.");
            }
        }
        if (Directory.Exists(target)) throw NotRegular(path, "a directory");
        var file = new FileInfo(target);
        if (!file.Exists) throw new FileNotFoundException(Dangling(path) ?? $"{path} does not exist.", path);
        if (file.Length == 0 && !emptyIsRegular)
            throw new IOException($"{Describe(path)} is empty, or is a FIFO, device or socket (these show 0 bytes); only regular files with data are read: remove it or replace it with the file itself.");
        return file.Length;
    }

    private static string? Dangling(string path)
    {
        string? link = new FileInfo(path).LinkTarget;
        return link is null ? null : $"{path} is a symbolic link to {link}, which does not exist; fix or remove the link.";
    }

    private static IOException NotRegular(string path, string kind) =>
        new($"{Describe(path)} is {kind}, not a regular file; only regular files are read: remove it or replace it with the file itself.");

    /// <summary>The path, and where a symbolic link points.</summary>
    private static string Describe(string path) =>
        new FileInfo(path).LinkTarget is { } link ? $"{path} (a symbolic link to {link})" : path;
}

// The one reader of input files: a path is read only when it names a regular file, and never past a size bound.
// A symbolic link is followed to its final target; a target that is a FIFO (opening it would wait for a writer for
// ever), a device (/dev/zero never ends), a socket or a folder is refused by path before it is opened, and so are a
// symbolic link loop, a dangling link and a file larger than the caller's limit. Reading stops at the limit even if
// the file grows meanwhile. On Linux the file type comes from Latent.IO.FileKinds (statx(2)); elsewhere (or where
// statx is missing) FileInfo is used, which cannot tell a FIFO or a device from an empty file, so an empty target is
// refused as "empty, or a FIFO, device or socket" (such targets all report 0 bytes). (A file swapped for something
// else between this check and the open is not guarded.)
// Two callers, two error families, one set of checks and messages: the IDX reader gets DataException ending "give the
// path of <what>", the PNG decoder and image folders an IOException (FileNotFoundException when missing, an
// InvalidDataException when too large) ending "only regular files are read: remove it or replace it with the file itself".
// Reference: statx(2), inode(7) (S_IFMT file types), path_resolution(7) (ELOOP).
using System.Runtime.CompilerServices;
using Latent.IO;

[assembly: InternalsVisibleTo("Latent.Tests")]

namespace Latent.Data;

/// <summary>Checks that a path names a regular file before it is opened, and gives its real size.</summary>
public static class RegularFile
{
    /// <summary>
    /// The size in bytes of the regular file at <paramref name="path"/>, following symlinks; a DataException
    /// naming the path when it is empty, missing, a folder, or not a regular file with data.
    /// <paramref name="what"/> says what was expected, e.g. "an IDX file".
    /// </summary>
    public static long Size(string path, string what)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (string.IsNullOrWhiteSpace(path)) throw new DataException($"the path of {what} is empty; give the path of a file.");
        var (size, problem, _) = Inspect(path, emptyIsRegular: false);
        return problem is null ? size : throw new DataException($"{problem}; give the path of {what}.");
    }

    /// <summary>Bytes of a regular file named <paramref name="path"/> (symbolic links followed); anything else, or
    /// more than <paramref name="maxBytes"/> bytes, is an IOException naming the path and saying what to do. Where only
    /// FileInfo is available, an empty file is refused too, unless <paramref name="emptyIsRegular"/> (then a FIFO or
    /// device passes there; on Linux the answer is always exact).</summary>
    public static long Size(string path, long maxBytes, bool emptyIsRegular = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var (size, problem, why) = Inspect(path, emptyIsRegular || FileKinds.Exact);
        if (problem is not null)
            throw why switch
            {
                Refusal.Missing => new FileNotFoundException(problem + ".", path),
                Refusal.Dangling => new FileNotFoundException(problem + "; fix or remove the link.", path),
                Refusal.Loop => new IOException(problem + "; replace it with the file itself."),
                _ => new IOException($"{problem}; only regular files are read: remove it or replace it with the file itself."),
            };
        if (size > maxBytes)
            throw new InvalidDataException(
                $"{path} is {size} bytes, more than the limit of {maxBytes} bytes for one image; use a smaller file or raise the limit.");
        return size;
    }

    /// <summary>The whole file, after <see cref="Size(string, long, bool)"/>'s checks; at most <paramref name="maxBytes"/> bytes are read.</summary>
    public static byte[] ReadAllBytes(string path, long maxBytes) => Read(path, maxBytes, maxBytes);

    /// <summary>At most the first <paramref name="count"/> bytes of the file, after <see cref="Size(string, long, bool)"/>'s checks.</summary>
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

    private enum Refusal { None, Missing, Dangling, Loop, NotRegular }

    /// <summary>(size, null, None) for a regular file; otherwise what the path is, without advice (the callers add
    /// theirs), and why it is refused.</summary>
    private static (long Size, string? Problem, Refusal Why) Inspect(string path, bool emptyIsRegular)
    {
        var info = new FileInfo(path);
        string? link = info.LinkTarget;
        string shown = link is null ? path : $"{path} (a symbolic link to {link})";
        string target = path;
        if (link is not null)
        {
            try { target = info.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? path; }
            catch (IOException) { return (0, $"{path} is a symbolic link that loops (or nests too deeply)", Refusal.Loop); }
        }
        FileKind kind = FileKinds.Exact ? FileKinds.Of(path) : Directory.Exists(target) ? FileKind.Directory : FileKind.Regular;
        if (kind == FileKind.Directory) return (0, $"{shown} is a folder, not a file", Refusal.NotRegular);
        var file = new FileInfo(target);
        if (kind == FileKind.None || !file.Exists)
            return link is null ? (0, $"{path} does not exist", Refusal.Missing) : (0, $"{path} is a symbolic link to {link}, which does not exist", Refusal.Dangling);
        if (kind != FileKind.Regular) return (0, $"{shown} is {FileKinds.Describe(kind)}, not a regular file", Refusal.NotRegular);
        if (file.Length == 0 && !emptyIsRegular)
        {
            bool system = file.FullName.StartsWith("/dev/", StringComparison.Ordinal) || file.FullName.StartsWith("/proc/", StringComparison.Ordinal)
                || file.FullName.StartsWith("/sys/", StringComparison.Ordinal);
            return (0, system ? $"{shown} is a device or system file, not a regular file"
                : $"{shown} is empty, or is a FIFO, device or socket (these show 0 bytes), not a regular file with data", Refusal.NotRegular);
        }
        return (file.Length, null, Refusal.None);
    }
}

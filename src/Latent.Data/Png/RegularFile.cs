// Reads input files only when they are regular files of bounded size: a symbolic link is followed to its final
// target, and a target that is a FIFO (opening it would wait for a writer for ever), a device (/dev/zero never
// ends), a socket or a directory is refused by path before it is opened; so is a symbolic link loop, and a
// file larger than the caller's limit. Reading stops at the limit even if the file grows meanwhile.
// On Linux the file type comes from Latent.IO.FileKinds (statx(2)); elsewhere (or where statx is missing) .NET's
// FileInfo is used, which cannot tell a FIFO or a device from an empty file,
// so an empty target is refused as "empty or not a regular file" (such targets all report size 0).
// Reference: statx(2), inode(7) (S_IFMT file types), path_resolution(7) (ELOOP).
using System.Runtime.CompilerServices;
using Latent.IO;

[assembly: InternalsVisibleTo("Latent.Tests")]

namespace Latent.Data.Png;

internal static class RegularFile
{
    /// <summary>Bytes of a regular file named <paramref name="path"/> (symbolic links followed); anything else, or
    /// more than <paramref name="maxBytes"/> bytes, is an error naming the path and saying what to do. Where only
    /// FileInfo is available, an empty file is refused too, unless <paramref name="emptyIsRegular"/> (then a FIFO or
    /// device passes there; on Linux the answer is always exact).</summary>
    public static long Size(string path, long maxBytes, bool emptyIsRegular = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        long size = FileKinds.Exact ? Exact(path) : Managed(path, emptyIsRegular);
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

    /// <summary>The size from the file's kind (Latent.IO.FileKinds: statx on Linux), loops and dangling links named.</summary>
    private static long Exact(string path)
    {
        FileKind kind = FileKinds.Of(path);
        if (kind == FileKind.None)
        {
            if (new FileInfo(path).LinkTarget is not null)
            {
                try { new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true); }
                catch (IOException) { throw new IOException($"{path} is a symbolic link that loops (or nests too deeply); replace it with the file itself."); }
            }
            throw new FileNotFoundException(Dangling(path) ?? $"{path} does not exist.", path);
        }
        if (kind != FileKind.Regular) throw NotRegular(path, kind == FileKind.Directory ? "a directory" : FileKinds.Describe(kind));
        var info = new FileInfo(path);
        return info.LinkTarget is null ? info.Length : new FileInfo(info.ResolveLinkTarget(returnFinalTarget: true)!.FullName).Length;
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

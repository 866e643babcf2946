// Checks that a path names a regular file before it is opened, and gives its real size. A FIFO would
// block the open until a writer appears, a device (/dev/zero) or a /proc file never ends, and a
// symlink is followed to what it points at; none of them is read. The kind comes from Latent.IO.FileKinds
// (statx on Linux); where it cannot tell, devices, pipes and sockets report 0 bytes, so "0 bytes" is refused
// without opening. Every reader bounds what it reads by the size found here. Folders and missing paths get
// their own message. (A file swapped for something else between this check and the open is not guarded.)
using Latent.IO;

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
        if (Directory.Exists(path))
            throw new DataException($"{path}: is a folder, not a file; give the path of {what}.");
        var info = new FileInfo(path);
        string shown = path;
        try
        {
            if (info.LinkTarget is not null)
            {
                var target = info.ResolveLinkTarget(returnFinalTarget: true);
                if (target is null || !target.Exists)
                    throw new DataException($"{path}: is a link to {target?.FullName ?? info.LinkTarget}, which does not exist; give the path of {what}.");
                if (target is DirectoryInfo)
                    throw new DataException($"{path}: is a link to the folder {target.FullName}, not a file; give the path of {what}.");
                shown = $"{path} (a link to {target.FullName})";
                info = new FileInfo(target.FullName);
            }
        }
        catch (IOException e)
        {
            throw new DataException($"{path}: the link cannot be followed ({e.Message}); give the path of {what}.", e);
        }
        if (!info.Exists) throw new DataException($"{path}: file not found.");
        if (FileKinds.Exact && FileKinds.Of(info.FullName) is var kind && kind != FileKind.Regular)
            throw new DataException($"{shown}: is {FileKinds.Describe(kind)}, not a regular file; give the path of {what}.");
        if (info.Length == 0)
        {
            bool device = info.FullName.StartsWith("/dev/", StringComparison.Ordinal) || info.FullName.StartsWith("/proc/", StringComparison.Ordinal)
                || info.FullName.StartsWith("/sys/", StringComparison.Ordinal);
            throw new DataException(device
                ? $"{shown}: is a device or system file, not a regular file; give the path of {what}."
                : $"{shown}: is empty or not a regular file (a pipe, device or socket is not read); give the path of {what}.");
        }
        return info.Length;
    }
}

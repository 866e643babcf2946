// The kind of file a path names, following symlinks (on Linux from statx's S_IFMT bits; elsewhere only
// "folder", "file" or nothing, since .NET gives no file type), and its wording for error messages.
namespace Latent.IO;

/// <summary>The kind of file a path names, following symlinks (on Linux from statx's S_IFMT bits; elsewhere only "folder", "file" or nothing, since .NET gives no file type), and its wording for error messages.</summary>
public static class FileKinds
{
    /// <summary>Whether <see cref="Of"/> tells every kind apart (Linux with statx); otherwise a FIFO, device or socket
    /// shows as a regular file.</summary>
    public static bool Exact => LinuxFiles.Available;

    /// <summary>What <paramref name="path"/> names, following symlinks.</summary>
    public static FileKind Of(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (LinuxFiles.Available) return LinuxFiles.Stat(path)?.Kind ?? FileKind.None;
        if (Directory.Exists(path)) return FileKind.Directory;
        return File.Exists(path) ? FileKind.Regular : FileKind.None;
    }

    /// <summary>"a character device", "a FIFO (named pipe)", ... for messages.</summary>
    public static string Describe(FileKind kind) => kind switch
    {
        FileKind.None => "nothing",
        FileKind.Regular => "a regular file",
        FileKind.Directory => "a folder",
        FileKind.CharacterDevice => "a character device",
        FileKind.BlockDevice => "a block device",
        FileKind.Fifo => "a FIFO (named pipe)",
        FileKind.Socket => "a socket",
        _ => "not a regular file",
    };

    /// <summary>"'p'" or "'p' (a symlink to ...)" wording: whether <paramref name="path"/> itself is a symlink.</summary>
    internal static string Through(string path)
    {
        try { return new FileInfo(path).LinkTarget is string target ? $"'{path}' (a symlink to '{target}')" : $"'{path}'"; }
        catch (IOException) { return $"'{path}'"; }
        catch (UnauthorizedAccessException) { return $"'{path}'"; }
    }
}

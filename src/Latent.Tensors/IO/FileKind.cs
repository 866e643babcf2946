// What a path names, as far as writing or reading an output is concerned: nothing, a regular file, a folder, or
// something else (device, FIFO, socket) that Latent must never read as data nor replace (issue 12, items 1 and 10).
namespace Latent.IO;

/// <summary>What a path names, as far as writing or reading an output is concerned.</summary>
public enum FileKind
{
    /// <summary>Nothing at the path (a dangling symlink counts as nothing).</summary>
    None,
    Regular,
    Directory,
    CharacterDevice,
    BlockDevice,
    Fifo,
    Socket,
    /// <summary>Exists, but its type could not be told (only where the platform gives no file type).</summary>
    Other,
}

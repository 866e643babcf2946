// The images of a folder tree (every file, classes or not; ImageTree reads class folders), one after another in a fixed order, without holding the whole list: a depth-first walk
// in which each folder's entries are visited in ordinal name order (a subfolder where its name sorts), so two walks of
// an unchanged tree give the same sequence on any machine and file system; `latent score --shard I/N` relies on it.
// Only the entries of the folder being walked (and its ancestors' positions) are held: memory grows with the largest
// folder, not with the tree. Files are taken by extension (ImageFormats, any case); what each one is (a
// regular file, a FIFO, a device, a link loop) is checked when it is read (ImageFile). Symbolic links to folders are
// not followed (a link loop cannot make the walk endless), and counted so a caller can say so.
// A tree holding images of a format that is not read, or no image at all, is an InvalidDataException saying what it
// holds, as ImageFolder says of one folder.
namespace Latent.Data.Images;

/// <summary>The images of a folder tree, walked one after another in a fixed order without holding the whole list.</summary>
public sealed class ImageWalk
{
    private ImageWalk(string root, long count, int linkedFolders)
    {
        Root = root;
        Count = count;
        LinkedFolders = linkedFolders;
    }

    /// <summary>The full path of the folder walked.</summary>
    public string Root { get; }

    /// <summary>Image files in the tree (found by the counting walk of <see cref="Open"/>).</summary>
    public long Count { get; }

    /// <summary>Symbolic links to folders met and not followed.</summary>
    public int LinkedFolders { get; }

    /// <summary>Walks <paramref name="directory"/> once to count its images, and checks that it holds some and none
    /// of a format that is not read.</summary>
    public static ImageWalk Open(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        string root = Path.GetFullPath(directory);
        if (!Directory.Exists(root)) throw new DirectoryNotFoundException($"Image folder '{directory}' does not exist.");
        long count = 0;
        int links = 0, subfolders = 0;
        var unread = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var (path, kind) in Walk(root))
        {
            if (kind == Entry.LinkedFolder) { links++; continue; }
            if (kind == Entry.Folder) { subfolders++; continue; }
            string ext = Path.GetExtension(path).ToLowerInvariant();
            if (ImageFormats.IsRead(path)) count++;
            else if (ImageFormats.IsUnread(path)) unread[ext] = unread.GetValueOrDefault(ext) + 1;
        }
        string found = string.Join(", ", unread.Select(kv => $"{kv.Value} {kv.Key}"));
        if (unread.Count > 0 && count == 0)
            throw new InvalidDataException($"Image folder '{directory}' holds {found} files but no images Latent reads ({ImageFormats.Names}): convert them first, e.g. with ImageMagick: mogrify -format png *{unread.Keys.First()}");
        if (unread.Count > 0)
            throw new InvalidDataException($"Image folder '{directory}' holds {count} images and also {found} files, which are not read (only {ImageFormats.Names}); convert them to PNG or move them out.");
        if (count == 0)
            throw new InvalidDataException(subfolders == 0
                ? $"Image folder '{directory}' holds no images ({ImageFormats.Names}); put the images directly in it."
                : $"Image folder '{directory}' holds no images ({ImageFormats.Names}), in it or in its {subfolders} subfolders.");
        return new ImageWalk(root, count, links);
    }

    /// <summary>The image files in walk order, as full paths.</summary>
    public IEnumerable<string> Files() =>
        Walk(Root).Where(e => e.Kind == Entry.File && ImageFormats.IsRead(e.Path)).Select(e => e.Path);

    /// <summary>The path of <paramref name="file"/> below the root, with '/' between folders.</summary>
    public string Relative(string file) => Path.GetRelativePath(Root, file).Replace(Path.DirectorySeparatorChar, '/');

    private enum Entry { File, Folder, LinkedFolder }

    /// <summary>Every entry below <paramref name="root"/>, depth first, each folder's entries in ordinal order.</summary>
    private static IEnumerable<(string Path, Entry Kind)> Walk(string root)
    {
        var stack = new Stack<(string[] Names, string Folder, int Next)>();
        stack.Push((Entries(root), root, 0));
        while (stack.Count > 0)
        {
            var (names, folder, next) = stack.Pop();
            if (next == names.Length) continue;
            stack.Push((names, folder, next + 1));
            string path = Path.Combine(folder, names[next]);
            var info = new DirectoryInfo(path);
            if (info.Exists)      // a folder, or a link to one (Exists follows links)
            {
                if (info.LinkTarget is not null) { yield return (path, Entry.LinkedFolder); continue; }
                yield return (path, Entry.Folder);
                stack.Push((Entries(path), path, 0));
            }
            else yield return (path, Entry.File);
        }
    }

    private static string[] Entries(string folder)
    {
        var names = Directory.EnumerateFileSystemEntries(folder).Select(Path.GetFileName).ToArray();
        Array.Sort(names, StringComparer.Ordinal);
        return names!;
    }
}

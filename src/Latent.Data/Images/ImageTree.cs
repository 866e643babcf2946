// A folder of class folders, as torchvision's ImageFolder and Anomalib's Folder datamodule read it:
//   root/<class>/**/<image>   (PNG, JPEG, BMP, GIF, TIFF, WebP; any depth below the class folder)
// Classes are the subfolders of root in ordinal order (labels 0, 1, ...); images are read as ImageFolder reads a
// folder (ImageFolderOptions: size, resize mode, channels, skipping unreadable files). A root that holds `train` and
// `test` folders (or `train` and `val`), each of class folders, is a dataset with its own split (Splits).
// Symbolic links to folders are followed once: a link to a folder already read (a loop such as `a/up -> ..`, or a
// second link to one folder) is not followed and is listed in NotFollowed, and no walk goes deeper than MaxDepth.
// Reference: torchvision.datasets.ImageFolder (find_classes, make_dataset), anomalib.data.Folder.
namespace Latent.Data.Images;

/// <summary>A folder of class folders, as torchvision's ImageFolder and Anomalib's Folder datamodule read it.</summary>
public static class ImageTree
{
    /// <summary>Folders deeper than this below root are not read.</summary>
    public const int MaxDepth = 32;

    /// <summary>The names of the split folders of a root with its own split: ("train", "test" or "val"), or null.</summary>
    public static (string Train, string Test)? Splits(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        if (!Directory.Exists(Path.Combine(root, "train"))) return null;
        foreach (string test in new[] { "test", "val" })
            if (Directory.Exists(Path.Combine(root, test))) return (Path.Combine(root, "train"), Path.Combine(root, test));
        return null;
    }

    /// <summary>The class folders of <paramref name="root"/> (names, ordinal order); an error saying what the folder
    /// holds when it has none.</summary>
    public static string[] Classes(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        if (!Directory.Exists(root)) throw new DirectoryNotFoundException($"Image folder '{root}' does not exist.");
        string[] classes = [.. Directory.EnumerateDirectories(root).Select(d => Path.GetFileName(d)!).Where(n => !n.StartsWith('.')).Order(StringComparer.Ordinal)];
        if (classes.Length == 0)
        {
            int images = Directory.EnumerateFiles(root).Count(ImageFormats.IsRead);
            throw new InvalidDataException(images > 0
                ? $"Image folder '{root}' holds {images} images but no class folders; put each class's images in a folder named after it (root/<class>/<image>), or give the folder itself (without folder:) as one class."
                : $"Image folder '{root}' holds no class folders; put each class's images in a folder named after it (root/<class>/<image>).");
        }
        return classes;
    }

    /// <summary>Every image below the class folders of <paramref name="root"/>, labelled by class, as
    /// <paramref name="options"/> say. <paramref name="classNames"/> fixes the class list (a test split read with the
    /// training split's classes); a class folder not in it is an error.</summary>
    public static LabelledImages Load(string root, ImageFolderOptions options, IReadOnlyList<string>? classNames = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        string[] found = Classes(root);
        IReadOnlyList<string> classes = classNames ?? found;
        foreach (string c in found)
            if (!classes.Contains(c))
                throw new InvalidDataException($"Image folder '{root}' has a class folder '{c}' that the training images do not have (classes: {string.Join(", ", classes)}).");
        var files = new List<string>();
        var label = new Dictionary<string, int>(StringComparer.Ordinal);
        var notFollowed = new List<SkippedImage>();
        var visited = new HashSet<string>(StringComparer.Ordinal) { Real(root) };
        for (int k = 0; k < classes.Count; k++)
        {
            string dir = Path.Combine(root, classes[k]);
            if (!Directory.Exists(dir)) continue;
            var mine = new List<string>();
            Walk(dir, mine, visited, notFollowed, 1);
            if (mine.Count == 0 && classNames is null)
                throw new InvalidDataException($"Image folder '{root}': the class folder '{classes[k]}' holds no images ({ImageFormats.Names}).");
            foreach (string f in mine) { files.Add(f); label[f] = k; }
        }
        if (files.Count == 0) throw new InvalidDataException($"Image folder '{root}' holds no images in its class folders ({string.Join(", ", found)}).");
        var images = ImageFolder.LoadFiles(files, options, $"Image folder '{root}'");
        return new LabelledImages(images, [.. images.Files.Select(f => label[f])], classes) { NotFollowed = notFollowed };
    }

    /// <summary>The image files below <paramref name="dir"/> (ordinal order, files before subfolders), following a
    /// symbolic link to a folder only when that folder was not read yet.</summary>
    private static void Walk(string dir, List<string> files, HashSet<string> visited, List<SkippedImage> notFollowed, int depth)
    {
        if (depth > MaxDepth)
        {
            notFollowed.Add(new SkippedImage(dir, $"{dir}: deeper than {MaxDepth} folders below the root; not read."));
            return;
        }
        if (!visited.Add(Real(dir)))
        {
            notFollowed.Add(new SkippedImage(dir, $"{dir} (a symbolic link to {new DirectoryInfo(dir).LinkTarget}) leads to a folder already read (a loop, or a second link to it); not followed."));
            return;
        }
        files.AddRange(Directory.EnumerateFiles(dir).Where(ImageFormats.IsRead).Order(StringComparer.Ordinal));
        foreach (string sub in Directory.EnumerateDirectories(dir).Where(d => !Path.GetFileName(d).StartsWith('.')).Order(StringComparer.Ordinal))
            Walk(sub, files, visited, notFollowed, depth + 1);
    }

    /// <summary>The folder a path leads to, every symbolic link along it resolved (as realpath(3) does), so that two
    /// paths to one folder compare equal; a path whose links do not settle within 40 steps is its own, marked, name.</summary>
    private static string Real(string dir)
    {
        string full = Path.GetFullPath(dir);
        for (int step = 0; step < 40; step++)
        {
            string root = Path.GetPathRoot(full) ?? "";
            string[] parts = full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);
            string current = root;
            bool changed = false;
            for (int i = 0; i < parts.Length && !changed; i++)
            {
                current = Path.Combine(current, parts[i]);
                if (new FileInfo(current).LinkTarget is not string target) continue;
                string resolved = Path.GetFullPath(target, Path.GetDirectoryName(current) ?? root);
                full = Path.GetFullPath(Path.Join(resolved, string.Join(Path.DirectorySeparatorChar, parts[(i + 1)..])));
                changed = true;
            }
            if (!changed) return Path.TrimEndingDirectorySeparator(full);
        }
        return full + "\0unresolved";
    }
}

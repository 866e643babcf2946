// --dataset folder:PATH (train, classmodel, explore) and score --input folder:PATH: a folder of class folders, as
// torchvision's ImageFolder reads it (ImageTree): root/<class>/**/<image>, classes named by their folders. A root with
// `train` and `test` (or `val`) folders of class folders brings its own split; otherwise --validation (default 0.2) of
// each class is held out as the test split (InterleavedSplit). Unreadable images are skipped and named (or stop the
// run with --strict); symbolic links that loop are not followed and are named too.
using Latent.Cli.Output;
using Latent.Data;
using Latent.Data.Images;
using Latent.Models;
using Latent.Models.Evaluation;

namespace Latent.Cli;

internal static class ClassFolders
{
    public const string Prefix = "folder:";

    /// <summary>The PATH of folder:PATH, or null for another kind of dataset.</summary>
    public static string? PathOf(string dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        if (!dataset.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase)) return null;
        string path = dataset[Prefix.Length..];
        if (string.IsNullOrWhiteSpace(path)) throw new CliException("folder: needs the folder of class folders after it, e.g. --dataset folder:photos/.");
        if (File.Exists(path)) throw new CliException($"{dataset}: {Path.GetFullPath(path)} is a file; give the folder that holds one folder per class.");
        if (!Directory.Exists(path)) throw new CliException($"{dataset}: the folder {Path.GetFullPath(path)} does not exist.");
        return path;
    }

    /// <summary>A dataset description of the classes, for parsing class names and numbers (--class, --real, --fake).</summary>
    public static DatasetInfo Info(string root, IReadOnlyList<string> classes)
    {
        string full = Path.GetFullPath(root);
        return new DatasetInfo(full, "", "", "", "", -1, -1, classes, new PackageSource(PackageKind.LocalFolder, full, ""));
    }

    /// <summary>(training split, test split): the root's own split, or --validation of each class held out.</summary>
    public static (LabelledSamples Train, LabelledSamples Test) LoadSplits(string root, ImageReading reading, double validation, Terminal term)
    {
        string name = Path.GetFullPath(root);
        if (ImageTree.Splits(root) is var (trainDir, testDir))
        {
            var train = Load(trainDir, reading.Folder(), null, term);
            var s = train.Images;
            var testOptions = reading.Folder() with { Size = (s.Height, s.Width), Channels = s.Channels, Resize = reading.Size is not null };
            var test = Load(testDir, testOptions, train.ClassNames, term);
            term.Note($"{name}: {train.Images.Count} training images in {trainDir}, {test.Images.Count} test images in {testDir}, {train.ClassNames.Count} classes");
            return (Labelled(train, $"{name}/train"), Labelled(test, $"{name}/{Path.GetFileName(testDir)}"));
        }
        var all = Load(root, reading.Folder(), null, term);
        var (kept, held) = InterleavedSplit.Of(all.Labels, validation);
        var x = ToSamples(all.Images);
        term.Note($"{name}: {all.Images.Count} images in {all.ClassNames.Count} classes; {held.Length} held out as the test split (--validation {validation.ToString(System.Globalization.CultureInfo.InvariantCulture)} of each class)");
        return (new LabelledSamples(x.Select(kept), [.. kept.Select(i => all.Labels[i])], all.ClassNames, name),
                new LabelledSamples(x.Select(held), [.. held.Select(i => all.Labels[i])], all.ClassNames, $"{name} (held out)"));
    }

    /// <summary>The training images: the root's train split when it has one, else every image (train fits on a class
    /// of them; there is nothing to evaluate).</summary>
    public static LabelledSamples LoadTraining(string root, ImageReading reading, Terminal term)
    {
        string dir = ImageTree.Splits(root) is var (train, _) ? train : root;
        return Labelled(Load(dir, reading.Folder(), null, term), Path.GetFullPath(dir));
    }

    /// <summary>Every image below the class folders of <paramref name="root"/>, named class/file, with full paths.</summary>
    public static (Samples X, string[] Names, string[] Paths) LoadAll(string root, ImageFolderOptions options, Terminal term)
    {
        var set = Load(root, options, null, term);
        var s = set.Images;
        string[] paths = [.. s.Files.Select(Path.GetFullPath)];
        string[] names = [.. s.Files.Select((f, i) => $"{set.ClassNames[set.Labels[i]]}/{Path.GetFileName(f)}")];
        return (ToSamples(s), names, paths);
    }

    private static LabelledImages Load(string root, ImageFolderOptions options, IReadOnlyList<string>? classes, Terminal term)
    {
        try
        {
            var set = ImageTree.Load(root, options, classes);
            foreach (var n in set.NotFollowed) term.Err.WriteLine($"not followed: {n.Reason}");
            ImageData.ReportSkipped(term, set.Images.Skipped, $"folder:{root}");
            return set;
        }
        catch (ImageSizeException e) when (e.First is not null)
        {
            throw new CliException($"folder:{root}: {e.Path} is {e.Width}x{e.Height} but {e.First} is {e.ExpectedWidth}x{e.ExpectedHeight}; " +
                $"add --image-size {e.ExpectedWidth}x{e.ExpectedHeight} (or another size) to resize every image to one size.");
        }
    }

    public static Samples ToSamples(ImageFolderImages s) => new(s.Pixels, s.Count, new ImageShape(s.Channels, s.Height, s.Width));

    private static LabelledSamples Labelled(LabelledImages set, string name) => new(ToSamples(set.Images), set.Labels, set.ClassNames, name);
}

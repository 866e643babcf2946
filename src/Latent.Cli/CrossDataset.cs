// `latent classmodel --fake DATASET:CLASSES`: the cross-dataset protocol (out-of-distribution detection, Nalisnick et
// al. 2019; Ren et al. 2019). The model is trained on the training images of --dataset (every class with
// --real all-classes, or one class), and scored on that dataset's test images of the same classes (real) against
// another dataset's test images (fake: DATASET:all, or DATASET:3,5) of the same image shape. The two sides become one
// labelled set of two classes, named after the datasets, so the protocol, its tables, --json and the report are the
// ones of the 3-vs-5 protocol: real class 0 (the modelled dataset), fake class 1 (the other).
//   train: (N_train, C, H, W) all labelled 0;  test: [in (N_in) | out (N_out)], labels 0 then 1
using Latent.Data;
using Latent.Models;
using Latent.Models.Evaluation;

namespace Latent.Cli;

/// <summary>The cross-dataset protocol of `latent classmodel --fake DATASET:CLASSES`: the modelled dataset's classes against another dataset's.</summary>
public sealed class CrossDataset
{
    /// <summary>--real's word for every class of --dataset as the one modelled class.</summary>
    public const string AllClasses = "all-classes";

    private CrossDataset(DatasetInfo modelled, DatasetInfo other, int[]? realClasses, int[]? otherClasses, string realText, string otherText)
    {
        Modelled = modelled;
        Other = other;
        RealText = realText;
        RealClasses = realClasses;
        OtherClasses = otherClasses;
        OtherText = otherText;
    }

    /// <summary>The modelled dataset (--dataset).</summary>
    public DatasetInfo Modelled { get; }

    /// <summary>The dataset whose test images are the fakes.</summary>
    public DatasetInfo Other { get; }

    /// <summary>The modelled classes of --dataset (null: all of them).</summary>
    public int[]? RealClasses { get; }

    /// <summary>The other dataset's classes used as fakes (null: all of them).</summary>
    public int[]? OtherClasses { get; }

    private string RealText { get; }

    private string OtherText { get; }

    /// <summary>True when --fake names another dataset (DATASET:CLASSES) rather than classes of --dataset.</summary>
    public static bool IsRequested(string fake) => fake is not null && fake.Contains(':', StringComparison.Ordinal);

    /// <summary>--real (all-classes, or classes of <paramref name="d"/>) and --fake DATASET:CLASSES; null when --fake names
    /// classes of --dataset (the ordinary protocol), which then refuses --real all-classes.</summary>
    public static CrossDataset? Parse(DatasetInfo d, string real, string fake)
    {
        ArgumentNullException.ThrowIfNull(d);
        ArgumentNullException.ThrowIfNull(real);
        ArgumentNullException.ThrowIfNull(fake);
        bool allClasses = real.Equals(AllClasses, StringComparison.OrdinalIgnoreCase);
        if (!IsRequested(fake))
        {
            if (allClasses)
                throw new CliException($"--real {AllClasses} models every class of {d.Name}; give --fake DATASET:all, another dataset's test images to tell them from (e.g. --fake mnist:all).");
            return null;
        }
        if (real.Equals("all", StringComparison.OrdinalIgnoreCase))
            throw new CliException($"--real all is the one-vs-rest protocol within one dataset; against --fake {fake} give --real {AllClasses} (every class of {d.Name} as the normal class) or a class.");
        int colon = fake.LastIndexOf(':');
        string name = fake[..colon].Trim(), classes = fake[(colon + 1)..].Trim();
        if (name.Length == 0 || classes.Length == 0)
            throw new CliException($"--fake {fake}: give another dataset and its classes as DATASET:CLASSES, e.g. mnist:all or mnist:3,5.");
        DatasetInfo other;
        try { other = DatasetInfo.Resolve(name); }
        catch (ArgumentException e) { throw new CliException($"--fake {fake}: {e.Message}", e); }
        catch (DataException e) { throw new CliException($"--fake {fake}: {e.Message}", e); }
        if (string.Equals(Path.GetFullPath(Key(other)), Path.GetFullPath(Key(d)), StringComparison.Ordinal))
            throw new CliException($"--fake {fake} names the modelled dataset {d.Name} itself; to tell its classes apart give them without a dataset (--real 3 --fake 5), or name another dataset.");
        int[]? realClasses = allClasses ? null : Classes(d, real, "--real");
        int[]? otherClasses = classes.Equals("all", StringComparison.OrdinalIgnoreCase) ? null : Classes(other, classes, $"--fake {fake}");
        return new CrossDataset(d, other, realClasses, otherClasses, real, fake);
    }

    // a known dataset by its name, a folder by its full path (a name is never a path, so the two never collide)
    private static string Key(DatasetInfo d) => d.IsLocalFolder ? d.Name : Path.Combine("//dataset", d.Name);

    private static int[] Classes(DatasetInfo d, string text, string option)
    {
        var parts = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length == 0) throw new CliException($"{option} needs a class, a comma list of classes, or all.");
        try { return [.. parts.Select(d.ParseClass).Distinct()]; }
        catch (ArgumentException e) { throw new CliException($"{option}: {e.Message}", e); }
    }

    /// <summary>Short name of a dataset for the class names of the combined set (a folder's own name).</summary>
    public static string ShortName(DatasetInfo d)
    {
        ArgumentNullException.ThrowIfNull(d);
        return d.IsLocalFolder ? Path.GetFileName(Path.TrimEndingDirectorySeparator(d.Name)) : d.Name;
    }

    /// <summary>The two-class training and test sets: the modelled classes of <paramref name="train"/> and
    /// <paramref name="test"/> (class 0), the other dataset's chosen test images (class 1). The shapes must agree.</summary>
    public (LabelledSamples Train, LabelledSamples Test) Combine(LabelledSamples train, LabelledSamples test, LabelledSamples otherTest)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        ArgumentNullException.ThrowIfNull(otherTest);
        if (otherTest.X.Shape != test.X.Shape || train.X.Shape != test.X.Shape)
            throw new CliException($"--fake {OtherText}: its images are {otherTest.X.Shape}, the modelled dataset's {test.X.Shape}; " +
                                   "the model scores one image shape (resize both with --image-size).");
        int[] inClasses = RealClasses ?? [.. Enumerable.Range(0, train.ClassNames.Count)];
        int[] outClasses = OtherClasses ?? [.. Enumerable.Range(0, otherTest.ClassNames.Count)];
        Samples trainX = train.OfClasses(inClasses), inX = test.OfClasses(inClasses), outX = otherTest.OfClasses(outClasses);
        if (trainX.Count == 0) throw new DataException($"{train.Name} has no training image of the modelled classes ({RealText}).");
        if (inX.Count == 0) throw new DataException($"{test.Name} has no test image of the modelled classes ({RealText}).");
        if (outX.Count == 0) throw new DataException($"{otherTest.Name} has no test image of the classes in --fake {OtherText}.");
        string[] names = [Side(Modelled, RealClasses, train.ClassNames), Side(Other, OtherClasses, otherTest.ClassNames)];
        string name = $"{names[0]} (in) vs {names[1]} (out)";
        var testX = new float[(inX.Count + outX.Count) * inX.Shape.Dim];
        inX.X.CopyTo(testX, 0);
        outX.X.CopyTo(testX, inX.X.Length);
        int[] labels = [.. Enumerable.Repeat(0, inX.Count), .. Enumerable.Repeat(1, outX.Count)];
        return (new LabelledSamples(trainX, new int[trainX.Count], names, name),
                new LabelledSamples(new Samples(testX, testX.Length / inX.Shape.Dim, inX.Shape), labels, names, name));
    }

    // "fashion-mnist", or "mnist:3,5" when only some classes take part
    private static string Side(DatasetInfo d, int[]? classes, IReadOnlyList<string> classNames) =>
        classes is null ? ShortName(d) : $"{ShortName(d)}:{string.Join(",", classes.Select(c => classNames[c]))}";
}

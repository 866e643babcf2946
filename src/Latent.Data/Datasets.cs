// Loading a dataset split from the cache, fetching it on first use, and checking it is complete:
// the counts of a full copy (60,000 + 10,000 for both MNISTs) and every class present. Given classes, only their
// images are converted to floats (the checks still read every label): training on one class of MNIST holds 19 MB of
// floats instead of 188 MB (issue 20).
namespace Latent.Data;

/// <summary>The split of a dataset: training or test images.</summary>
public enum Split
{
    Train,
    Test,
}

/// <summary>Loads a dataset split from the cache, fetching it on first use, and checks that it is complete.</summary>
public static class Datasets
{
    /// <summary>Loads one split (only the images of <paramref name="classes"/> when given, in file order); fetches the
    /// dataset first when the cache lacks it and <paramref name="fetch"/> is set.</summary>
    public static ImageSet Load(DatasetInfo d, Split split, DataCache cache, bool fetch = true, TextWriter? log = null, IReadOnlyCollection<int>? classes = null)
    {
        ArgumentNullException.ThrowIfNull(d);
        ArgumentNullException.ThrowIfNull(cache);
        if (d.IsLocalFolder) return LoadFrom(d.Name, d, split, classes);
        cache.RemoveStaleTemporaries();
        if (!cache.Has(d))
        {
            if (!fetch)
                throw new DataException($"{d.Name} is not in {cache.Root}; run `latent data fetch {d.Name}` first.");
            Fetcher.Fetch(d, cache, log);
        }
        return LoadFrom(cache.DirectoryOf(d), d, split, classes);
    }

    /// <summary>Loads one split from a folder holding the dataset's files, checking counts and classes; only the images
    /// of <paramref name="classes"/> when given (their source named "name/split[c]", as ImageSet.OfClass names it).</summary>
    public static ImageSet LoadFrom(string dir, DatasetInfo d, Split split, IReadOnlyCollection<int>? classes = null)
    {
        ArgumentNullException.ThrowIfNull(d);
        bool train = split == Split.Train;
        string images = Path.Combine(dir, train ? d.TrainImages : d.TestImages);
        string labels = Path.Combine(dir, train ? d.TrainLabels : d.TestLabels);
        string source = $"{d.Name}/{(train ? "train" : "test")}";
        int height, width;
        byte[] pixels, labelBytes;
        try
        {
            (height, width, pixels, labelBytes) = Idx.ReadLabelledBytes(images, labels);
        }
        catch (DataException e) when (!d.IsLocalFolder)
        {
            throw new DataException($"{e.Message} Delete {dir} and run `latent data fetch {d.Name}` to fetch it again.", e);
        }
        if (height * width == 0 || labelBytes.Length == 0)
            throw new DataException($"{images}: holds no images.");
        int expected = train ? d.TrainCount : d.TestCount;
        if (expected >= 0 && labelBytes.Length != expected)
            throw new DataException($"{images}: {labelBytes.Length} images, a complete {d.Name} {split.ToString().ToLowerInvariant()} split has {expected}; " +
                $"delete {dir} and run `latent data fetch {d.Name}`.");
        foreach (byte l in labelBytes)
            if (l >= d.ClassCount)
                throw new DataException($"{labels}: label {l} is outside 0..{d.ClassCount - 1}; the file is corrupt.");
        int present = labelBytes.Distinct().Count();
        if (!d.IsLocalFolder && present != d.ClassCount)
            throw new DataException($"{labels}: only {present} of {d.ClassCount} classes present; the file is corrupt.");
        return Idx.ToImageSet(pixels, labelBytes, height, width, classes, classes is null ? source : $"{source}[{string.Join(",", classes)}]");
    }
}

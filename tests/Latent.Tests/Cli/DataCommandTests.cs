// `latent data` against hostile settings (issue 12): an empty --data-dir is a one-line usage error,
// and `data fetch` of a cached dataset still removes what an interrupted earlier fetch left behind.
using System.Diagnostics;
using Latent.Data;

namespace Latent.Tests.Cli;

public class DataCommandTests
{
    [Fact]
    public void EmptyDataDirIsAOneLineUsageError()
    {
        var r = CliRunner.Run("data", "list", "--data-dir", "");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--data-dir is empty", r.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("Parameter", r.Err, StringComparison.Ordinal);
        Assert.Single(r.Err.TrimEnd().Split('\n'));
        Assert.Equal("", r.Out);
    }

    [Fact]
    public void FetchOfACachedDatasetRemovesLeftoversOfAKilledFetch()
    {
        using var dir = new TempDir();
        var cache = new DataCache(dir.Path);
        TestData.CopySubsetTo(cache.DirectoryOf(DatasetInfo.Mnist));
        int dead;
        using (var p = Process.Start("true")) { p.WaitForExit(); dead = p.Id; }
        string stale = Path.Combine(cache.Root, $".mnist.tmp-{dead}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path.Combine(stale, "files"));
        File.WriteAllBytes(Path.Combine(stale, "files", "train-images-idx3-ubyte"), new byte[4096]);
        var r = CliRunner.Run("data", "fetch", "mnist", "--data-dir", dir.Path);
        Assert.Equal(1, r.ExitCode); // the subset has 300 images, not 60,000: refused, but the cache was cleaned first
        Assert.False(Directory.Exists(stale));
        Assert.True(Directory.Exists(cache.DirectoryOf(DatasetInfo.Mnist)));
    }
}

// The smaller messages of issue 12: a missing folder given as a dataset, a file given as one, an
// unknown name, an empty or unusable --data-dir. Each is one line saying what is wrong and what to do.
using Latent.Data;

namespace Latent.Tests.Data;

public class DataMessagesTests
{
    [Fact]
    public void MissingFolderAsDatasetSaysItDoesNotExistAndListsTheNames()
    {
        var e = Assert.Throws<ArgumentException>(() => DatasetInfo.Resolve("/nonexistent/mnist-folder"));
        Assert.Contains("/nonexistent/mnist-folder does not exist", e.Message, StringComparison.Ordinal);
        Assert.Contains("mnist, fashion-mnist", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("unknown dataset", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<ArgumentException>(() => DatasetInfo.Resolve("./my-digits"));
        Assert.Contains("does not exist", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownNameListsTheNames()
    {
        var e = Assert.Throws<ArgumentException>(() => DatasetInfo.Resolve("mnistt"));
        Assert.Contains("unknown dataset 'mnistt'", e.Message, StringComparison.Ordinal);
        Assert.Contains("mnist, fashion-mnist", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FileAsDatasetSaysItIsAFile()
    {
        using var dir = new TempDir();
        string file = dir.File("digits.idx");
        File.WriteAllText(file, "x");
        var e = Assert.Throws<ArgumentException>(() => DatasetInfo.Resolve(file));
        Assert.Contains("is a file, not a folder", e.Message, StringComparison.Ordinal);
        Assert.Contains("is a file", Assert.Throws<DataException>(() => DatasetInfo.FromFolder(file)).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void EmptyDataDirSaysTheOptionIsEmpty(string root)
    {
        var e = Assert.Throws<ArgumentException>(() => new DataCache(root));
        Assert.Contains("--data-dir is empty", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Parameter", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DataDirWithANulCharacterIsRefusedWithoutParameterNoise()
    {
        var e = Assert.Throws<ArgumentException>(() => new DataCache("a\0b"));
        Assert.Contains("--data-dir", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Parameter", e.Message, StringComparison.Ordinal);
    }
}

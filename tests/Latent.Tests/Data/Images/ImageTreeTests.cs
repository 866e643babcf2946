// ImageTree: class folders are labels in ordinal order (torchvision's ImageFolder), images found at any depth below a
// class folder; a symbolic link that loops back (or leads to a folder already read) is not followed and is listed; a
// root with train/ and test/ folders has its own split; a root of images without class folders, and an empty class,
// are clear errors.
using Latent.Data.Images;

namespace Latent.Tests.Data.Images;

public sealed class ImageTreeTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private void Put(string relative, string ext = ".png")
    {
        string path = Path.Combine(_dir.Path, relative + ext);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, ImageSamples.Gray(ext));
    }

    [Fact]
    public void ClassFoldersAreLabelsInOrdinalOrderAndLoopsAreNotFollowed()
    {
        Put("dog/a", ".jpg");
        Put("dog/deep/b", ".bmp");
        Put("cat/c", ".webp");
        Put("cat/d");
        Directory.CreateSymbolicLink(Path.Combine(_dir.Path, "cat", "up"), "..");                 // cat/up -> root: a loop
        Directory.CreateSymbolicLink(Path.Combine(_dir.Path, "dog", "deep", "again"), Path.Combine(_dir.Path, "dog"));  // back to dog
        var set = ImageTree.Load(_dir.Path, new ImageFolderOptions { Channels = 1 });
        Assert.Equal(["cat", "dog"], set.ClassNames);
        Assert.Equal(4, set.Images.Count);
        Assert.Equal(["c.webp", "d.png", "a.jpg", "b.bmp"], set.Images.Names);
        Assert.Equal([0, 0, 1, 1], set.Labels);
        Assert.Equal(2, set.NotFollowed.Count);
        Assert.Contains("leads to a folder already read (a loop, or a second link to it); not followed", set.NotFollowed[0].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void TrainAndTestFoldersAreTheSplit()
    {
        Assert.Null(ImageTree.Splits(_dir.Path));
        Put("train/a/1");
        Put("train/b/2");
        Put("val/a/3");
        Assert.Equal((Path.Combine(_dir.Path, "train"), Path.Combine(_dir.Path, "val")), ImageTree.Splits(_dir.Path));
        var test = ImageTree.Load(Path.Combine(_dir.Path, "val"), new ImageFolderOptions(), ["a", "b"]);
        Assert.Equal(["a", "b"], test.ClassNames);
        Assert.Equal([0], test.Labels);
        Put("val/zebra/4");
        Assert.Contains("has a class folder 'zebra' that the training images do not have (classes: a, b)",
            Assert.Throws<InvalidDataException>(() => ImageTree.Load(Path.Combine(_dir.Path, "val"), new ImageFolderOptions(), ["a", "b"])).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ImagesWithoutClassFoldersAndEmptyClassesAreClearErrors()
    {
        Put("loose");
        Assert.Contains("holds 1 images but no class folders; put each class's images in a folder named after it",
            Assert.Throws<InvalidDataException>(() => ImageTree.Load(_dir.Path, new ImageFolderOptions())).Message, StringComparison.Ordinal);
        Put("a/1");
        Directory.CreateDirectory(Path.Combine(_dir.Path, "b"));
        Assert.Contains("the class folder 'b' holds no images",
            Assert.Throws<InvalidDataException>(() => ImageTree.Load(_dir.Path, new ImageFolderOptions())).Message, StringComparison.Ordinal);
        Assert.Throws<DirectoryNotFoundException>(() => ImageTree.Load(_dir.File("nope"), new ImageFolderOptions()));
    }
}

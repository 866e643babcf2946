// IdxImages, the batch reader of `latent score`: any range of images equals that range of the whole file as Idx.Read
// gives it, plain (by seeking) or gzipped (forward); a file shorter than its header says, a 2-dimensional file and a
// header over the streaming limit are errors naming the file.
using System.IO.Compression;
using Latent.Data;

namespace Latent.Tests.Data;

public sealed class IdxImagesTests
{
    private static string Subset => Path.Combine(TestData.SubsetDir, "t10k-images-idx3-ubyte");

    [Fact]
    public void RangesEqualTheWholeFilePlainOrGzipped()
    {
        using var dir = new TempDir();
        var (_, all) = Idx.Read(Subset);
        string gz = dir.File("images.gz");
        using (var src = File.OpenRead(Subset))
        using (var dst = new GZipStream(File.Create(gz), CompressionLevel.Fastest))
            src.CopyTo(dst);
        foreach (string path in new[] { Subset, gz })
        {
            using var idx = IdxImages.Open(path);
            Assert.Equal((200, 28, 28), (idx.Count, idx.Height, idx.Width));
            foreach (var (first, n) in new[] { (3, 5), (8, 1), (50, 100), (199, 1) })
            {
                var got = new byte[n * 784];
                idx.Read(first, got);
                Assert.Equal(all.AsSpan(first * 784, n * 784).ToArray(), got);
            }
        }
    }

    [Fact]
    public void ShortFilesWrongDimensionsAndHugeHeadersAreErrorsNamingTheFile()
    {
        using var dir = new TempDir();
        string cut = dir.File("cut");
        File.WriteAllBytes(cut, File.ReadAllBytes(Subset)[..(16 + 784 * 3)]);
        var e = Assert.Throws<DataException>(() => IdxImages.Open(cut));
        Assert.Contains($"{cut}: IDX header promises 200 x 28 x 28 = 156800 bytes of data, the file has 2352 (truncated download?)", e.Message, StringComparison.Ordinal);

        string gz = dir.File("cut.gz");
        using (var dst = new GZipStream(File.Create(gz), CompressionLevel.Fastest)) dst.Write(File.ReadAllBytes(cut));
        using (var idx = IdxImages.Open(gz))
        {
            idx.Read(0, new byte[784 * 3]);
            e = Assert.Throws<DataException>(() => idx.Read(3, new byte[784]));
            Assert.Equal($"{gz}: the file ends before image 4 of the 200 its header promises (truncated?); replace the file.", e.Message);
        }

        string labels = Path.Combine(TestData.SubsetDir, "t10k-labels-idx1-ubyte");
        e = Assert.Throws<DataException>(() => IdxImages.Open(labels));
        Assert.Contains("an IDX images file has 3 dimensions (N, H, W), this one has 1", e.Message, StringComparison.Ordinal);

        string huge = dir.File("huge");
        File.WriteAllBytes(huge, [0, 0, 8, 3, 0x7F, 0xFF, 0xFF, 0xFF, 0, 0, 0x10, 0, 0, 0, 0x10, 0]);
        e = Assert.Throws<DataException>(() => IdxImages.Open(huge));
        Assert.Contains("more than the 1099511627776 bytes (1024 GiB) Latent reads", e.Message, StringComparison.Ordinal);
    }
}

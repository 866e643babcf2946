// IDX reading: the committed subset loads; every corrupt header is an error naming the file and field.
using Latent.Data;

namespace Latent.Tests.Data;

public class IdxTests
{
    [Fact]
    public void SubsetLoadsWithPixelsInUnitRangeAndAllClasses()
    {
        var train = TestData.SubsetTrain;
        Assert.Equal(300, train.Count);
        Assert.Equal(28, train.Height);
        Assert.Equal(28, train.Width);
        Assert.Equal(Enumerable.Range(0, 10), train.Classes());
        Assert.All(train.Pixels, p => Assert.InRange(p, 0f, 1f));
        Assert.Contains(train.Pixels, p => p == 1f);
        Assert.Equal(30, train.OfClass(3).Count);
    }

    [Fact]
    public void RoundTripThroughWriterAndGzip()
    {
        using var dir = new TempDir();
        byte[] data = Enumerable.Range(0, 2 * 3 * 4).Select(i => (byte)(i * 10)).ToArray();
        Idx.Write(dir.File("x"), [2, 3, 4], data);
        var (dims, read) = Idx.Read(dir.File("x"));
        Assert.Equal([2, 3, 4], dims);
        Assert.Equal(data, read);
        using (var src = File.OpenRead(dir.File("x")))
        using (var dst = File.Create(dir.File("x.gz")))
        using (var gz = new System.IO.Compression.GZipStream(dst, System.IO.Compression.CompressionLevel.Fastest))
            src.CopyTo(gz);
        Assert.Equal(data, Idx.Read(dir.File("x.gz")).Data);
    }

    [Theory]
    [InlineData(new byte[] { 0, 0 }, "too short")]
    [InlineData(new byte[] { 1, 0, 8, 1, 0, 0, 0, 0 }, "magic")]
    [InlineData(new byte[] { 0, 0, 0x0D, 1, 0, 0, 0, 0 }, "element type")]
    [InlineData(new byte[] { 0, 0, 8, 9, 0, 0, 0, 0 }, "dimensions")]
    [InlineData(new byte[] { 0, 0, 8, 2, 0, 0, 0, 1 }, "header")]
    [InlineData(new byte[] { 0, 0, 8, 1, 0, 0, 0, 5, 1, 2 }, "truncated")]
    [InlineData(new byte[] { 0, 0, 8, 1, 0, 0, 0, 1, 1, 2 }, "trailing")]
    public void CorruptHeadersAreNamedErrors(byte[] raw, string expected)
    {
        var e = Assert.Throws<DataException>(() => Idx.Parse(raw, "bad-file"));
        Assert.Contains("bad-file", e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void MissingFileIsANamedError()
    {
        var e = Assert.Throws<DataException>(() => Idx.Read("/nonexistent/train-images-idx3-ubyte"));
        Assert.Equal("/nonexistent/train-images-idx3-ubyte does not exist; give the path of an IDX file.", e.Message);
    }

    [Fact]
    public void ImagesAndLabelsOfDifferentCountsAreAnError()
    {
        using var dir = new TempDir();
        Idx.Write(dir.File("i"), [3, 2, 2], new byte[12]);
        Idx.Write(dir.File("l"), [2], new byte[2]);
        var e = Assert.Throws<DataException>(() => Idx.ReadImageSet(dir.File("i"), dir.File("l"), "t"));
        Assert.Contains("3 images", e.Message, StringComparison.Ordinal);
    }
}

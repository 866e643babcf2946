// Hostile checkpoint headers (issue 12, items 7, 8, 11 and the version message): each one is an
// InvalidDataException naming the file and what is wrong, never another exception type. "@" in a header below
// stands for the byte 0xFF, which is not valid UTF-8 (System.Text.Json used to throw InvalidOperationException
// "Cannot transcode invalid UTF-8" when such a string was read).
using System.Buffers.Binary;
using System.Text;
using Latent.Nn.Checkpoints;

namespace Latent.Tests.Nn;

public sealed class CheckpointHeaderTests
{
    private const string Meta = "\"__metadata__\":{\"latent_format_version\":\"1\"}";
    private const string W = "\"w\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,16]}";

    public static TheoryData<string, string, int, string> Headers => new()
    {
        // name, header ("@" = byte 0xFF), data bytes, part of the message
        { "invalid UTF-8 in a metadata value", "{\"__metadata__\":{\"latent_format_version\":\"1\",\"epoch\":\"@\"}," + W + "}", 16, "not valid UTF-8" },
        { "invalid UTF-8 in a tensor name", "{" + Meta + ",\"w@\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,16]}}", 16, "not valid UTF-8" },
        { "invalid UTF-8 in the dtype", "{" + Meta + ",\"w\":{\"dtype\":\"F3@\",\"shape\":[2,2],\"data_offsets\":[0,16]}}", 16, "not valid UTF-8" },
        { "invalid UTF-8 in a metadata key", "{\"__metadata__\":{\"latent_format_version\":\"1\",\"e@\":\"3\"}," + W + "}", 16, "not valid UTF-8" },
        { "escaped lone surrogate in a metadata value", "{\"__metadata__\":{\"latent_format_version\":\"1\",\"epoch\":\"\\ud800\"}," + W + "}", 16, "corrupt JSON header" },
        { "escaped lone surrogate in a tensor name", "{" + Meta + ",\"w\\udfff\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,16]}}", 16, "corrupt JSON header" },
        { "duplicate tensor", "{" + Meta + "," + W + ",\"w\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[16,32]}}", 32, "tensor 'w' appears twice" },
        { "duplicate metadata key", "{\"__metadata__\":{\"latent_format_version\":\"1\",\"epoch\":\"1\",\"epoch\":\"2\"}," + W + "}", 16, "metadata 'epoch' appears twice" },
        { "duplicate __metadata__", "{" + Meta + "," + Meta + "," + W + "}", 16, "__metadata__ appears twice" },
        { "unknown format version", "{\"__metadata__\":{\"latent_format_version\":\"2\"}," + W + "}", 16, "format version '2'; this build of Latent reads version 1 only" },
        { "missing format version", "{\"__metadata__\":{\"model_type\":\"x\"}," + W + "}", 16, "no latent_format_version" },
        { "no metadata at all", "{" + W + "}", 16, "no latent_format_version" },
        { "numeric metadata value", "{\"__metadata__\":{\"latent_format_version\":\"1\",\"epoch\":3}," + W + "}", 16, "metadata 'epoch' is not a string" },
        { "metadata not an object", "{\"__metadata__\":[1]," + W + "}", 16, "__metadata__ must be an object" },
        { "header an array", "[1,2]", 0, "not a JSON object" },
        { "entry not an object", "{" + Meta + ",\"w\":[1]}", 0, "needs dtype, shape and data_offsets" },
        { "numeric dtype", "{" + Meta + ",\"w\":{\"dtype\":32,\"shape\":[2,2],\"data_offsets\":[0,16]}}", 16, "dtype 32 is not supported" },
        { "shape a string", "{" + Meta + ",\"w\":{\"dtype\":\"F32\",\"shape\":\"2,2\",\"data_offsets\":[0,16]}}", 16, "shape must be an array" },
        { "fractional shape", "{" + Meta + ",\"w\":{\"dtype\":\"F32\",\"shape\":[2.5,2],\"data_offsets\":[0,16]}}", 16, "shape entry 2.5" },
        { "negative shape", "{" + Meta + ",\"w\":{\"dtype\":\"F32\",\"shape\":[-2,-2],\"data_offsets\":[0,16]}}", 16, "shape entry -2" },
        { "shape beyond 32 bits", "{" + Meta + ",\"w\":{\"dtype\":\"F32\",\"shape\":[4294967296],\"data_offsets\":[0,16]}}", 16, "shape entry 4294967296" },
        { "shape whose product overflows", "{" + Meta + ",\"w\":{\"dtype\":\"F32\",\"shape\":[2147483647,2147483647,2147483647,2147483647],\"data_offsets\":[0,16]}}", 16, "elements" },
        { "offsets beyond the file", "{" + Meta + ",\"w\":{\"dtype\":\"F32\",\"shape\":[1000],\"data_offsets\":[0,4000]}}", 16, "truncated" },
        { "offsets as large as a long", "{" + Meta + ",\"w\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,9223372036854775807]}}", 16, "needs 16 bytes" },
        { "offsets beyond a long", "{" + Meta + ",\"w\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,92233720368547758070]}}", 16, "not a valid range" },
        { "negative offsets", "{" + Meta + ",\"w\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[-16,0]}}", 16, "not a valid range" },
        { "offsets as strings", "{" + Meta + ",\"w\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[\"0\",\"16\"]}}", 16, "not a valid range" },
        { "three offsets", "{" + Meta + ",\"w\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,8,16]}}", 16, "[begin, end] pair" },
        { "nesting too deep", "{" + Meta + ",\"w\":" + new string('[', 100) + new string(']', 100) + "}", 0, "corrupt JSON header" },
    };

    [Theory]
    [MemberData(nameof(Headers))]
    public void EveryMalformedHeaderIsAnInvalidDataExceptionNamingTheFile(string name, string header, int dataBytes, string messagePart)
    {
        using var dir = new TempDir();
        string path = dir.File("bad.safetensors");
        File.WriteAllBytes(path, Build(Raw(header), new byte[dataBytes]));
        var e = Assert.Throws<InvalidDataException>(() => Checkpoint.Read(path));
        Assert.True(e.Message.Contains(messagePart, StringComparison.Ordinal), $"{name}: {e.Message}");
        Assert.Contains($"'{path}'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheValidBaseOfThoseHeadersLoads()
    {
        SafeTensorsFile f = Checkpoint.Parse(Build(Raw("{" + Meta + "," + W + "}"), Floats(1, 2, 3, 4)), "base");
        Assert.Equal([1f, 2f, 3f, 4f], f.Tensors["w"].ToArray());
        Assert.Equal("1", f.Metadata[Checkpoint.VersionKey]);
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    public void NonFiniteWeightsAreRefusedNamingTheTensor(float value)
    {
        // a diverged run's weights: scoring them ended in "tridiagonal QL did not converge" (item 8)
        string header = "{" + Meta + ",\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,16]}}";
        var e = Assert.Throws<InvalidDataException>(() => Checkpoint.Parse(Build(Raw(header), Floats(1, 2, 3, value)), "diverged.safetensors"));
        Assert.Contains("'diverged.safetensors' holds non-finite weights (NaN or Inf) in tensor 'b'", e.Message, StringComparison.Ordinal);
        Assert.Contains("diverged run", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AFolderOrAFifoIsRefusedWithoutReadingIt()
    {
        using var dir = new TempDir();
        var e = Assert.Throws<IOException>(() => Checkpoint.Read(dir.Path));
        Assert.Contains("is a folder, not a file", e.Message, StringComparison.Ordinal);
        string fifo = Latent.Tests.Tensors.IO.Posix.MkFifo(dir.File("f.safetensors"));
        var read = Task.Run(() => Checkpoint.Read(fifo));
        bool done = ((IAsyncResult)read).AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(10));
        if (!done) using (File.OpenWrite(fifo)) { }                  // unblock a reader stuck in open(2)
        Assert.True(done, "reading a FIFO hangs");
        var io = Assert.IsType<IOException>(read.Exception?.InnerException);
        Assert.Contains("is a FIFO (named pipe), not a file", io.Message, StringComparison.Ordinal);
    }

    /// <summary>The header bytes, "@" replaced by 0xFF.</summary>
    internal static byte[] Raw(string header) =>
        [.. Encoding.UTF8.GetBytes(header).Select(b => b == (byte)'@' ? (byte)0xFF : b)];

    internal static byte[] Build(byte[] header, byte[] data)
    {
        var len = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(len, (ulong)header.Length);
        return [.. len, .. header, .. data];
    }

    private static byte[] Floats(params float[] values)
    {
        var b = new byte[4 * values.Length];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(b.AsSpan(4 * i), values[i]);
        return b;
    }
}

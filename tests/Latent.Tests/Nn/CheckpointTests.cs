// Safetensors checkpoints: round trip, and every corrupt or mismatched file is a clear error that leaves
// the model untouched (no partial load).
using System.Buffers.Binary;
using System.Text;
using Latent.Nn;
using Latent.Nn.Checkpoints;
using Latent.Nn.Layers;
using Latent.Tensors;

namespace Latent.Tests.Nn;

public sealed class CheckpointTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("latent-ckpt-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private static Sequential Model(ulong seed, int hidden = 3) =>
        new(("fc1", new Linear(4, hidden, new Rng(seed))), ("act", new Relu()), ("fc2", new Linear(hidden, 2, new Rng(seed + 1))));

    private string Saved(out Sequential model)
    {
        model = Model(1);
        string path = Path.Combine(dir, "m.safetensors");
        Checkpoint.Save(path, model, new Dictionary<string, string> { [Checkpoint.ModelTypeKey] = "Tiny", [Checkpoint.OptionsKey] = "{\"hidden\":3}" });
        return path;
    }

    [Fact]
    public void RoundTripRestoresEveryValueAndTheMetadata()
    {
        string path = Saved(out Sequential a);
        Sequential b = Model(99);
        IReadOnlyDictionary<string, string> meta = Checkpoint.Load(path, b);
        Assert.Equal("Tiny", meta[Checkpoint.ModelTypeKey]);
        Assert.Equal("{\"hidden\":3}", meta[Checkpoint.OptionsKey]);
        Assert.Equal(Checkpoint.FormatVersion, meta[Checkpoint.VersionKey]);
        foreach ((NamedTensor x, NamedTensor y) in a.StateTensors().Zip(b.StateTensors()))
            Assert.Equal(x.Tensor.ToArray(), y.Tensor.ToArray());
        Assert.Empty(Directory.GetFiles(dir, "*.tmp-*"));
    }

    [Fact]
    public void FileLayoutIsSafetensors()
    {
        string path = Saved(out _);
        byte[] bytes = File.ReadAllBytes(path);
        ulong n = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        Assert.Equal(0UL, n % 8);
        string header = Encoding.UTF8.GetString(bytes, 8, (int)n);
        Assert.Contains("\"fc1.weight\":{\"dtype\":\"F32\",\"shape\":[3,4],\"data_offsets\":[0,48]}", header, StringComparison.Ordinal);
        Assert.Equal(8 + (long)n + 4 * (12 + 3 + 6 + 2), bytes.Length);
    }

    public static TheoryData<string, string> Corruptions => new()
    {
        { "empty", "truncated" },
        { "short length", "truncated" },
        { "huge header length", "declares" },
        { "truncated data", "truncated" },
        { "extra bytes", "oversized" },
        { "bad json", "corrupt JSON" },
        { "wrong dtype", "F16" },
        { "offsets disagree with shape", "needs" },
    };

    [Theory]
    [MemberData(nameof(Corruptions))]
    public void CorruptFilesAreClearErrorsAndLeaveTheModelUntouched(string corruption, string messagePart)
    {
        string path = Saved(out _);
        byte[] good = File.ReadAllBytes(path);
        int n = (int)BinaryPrimitives.ReadUInt64LittleEndian(good);
        string header = Encoding.UTF8.GetString(good, 8, n);
        byte[] bad = corruption switch
        {
            "empty" => [],
            "short length" => good[..5],
            "huge header length" => WithLength(good, 1UL << 40),
            "truncated data" => good[..^7],
            "extra bytes" => [.. good, 1, 2, 3, 4],
            "bad json" => Replace(good, n, header.Replace("{\"dtype\"", "[\"dtype\"", StringComparison.Ordinal)),
            "wrong dtype" => Replace(good, n, header.Replace("\"F32\"", "\"F16\"", StringComparison.Ordinal)),
            _ => Replace(good, n, header.Replace("[0,48]", "[0,44]", StringComparison.Ordinal)),
        };
        File.WriteAllBytes(path, bad);
        Sequential target = Model(7);
        float[] before = target.StateTensors()[0].Tensor.ToArray();
        var ex = Assert.Throws<InvalidDataException>(() => Checkpoint.Load(path, target));
        Assert.Contains(messagePart, ex.Message, StringComparison.Ordinal);
        Assert.Equal(before, target.StateTensors()[0].Tensor.ToArray());
    }

    [Fact]
    public void MismatchedNamesAndShapesAreNamed()
    {
        string path = Saved(out _);
        var wider = Model(3, hidden: 5);
        var ex = Assert.Throws<InvalidDataException>(() => Checkpoint.Load(path, wider));
        Assert.Contains("fc1.weight", ex.Message, StringComparison.Ordinal);
        Assert.Contains("(5, 4)", ex.Message, StringComparison.Ordinal);
        var renamed = new Sequential(("enc", new Linear(4, 3, new Rng(1))), ("act", new Relu()), ("fc2", new Linear(3, 2, new Rng(2))));
        float[] before = renamed.StateTensors()[^1].Tensor.ToArray();
        ex = Assert.Throws<InvalidDataException>(() => Checkpoint.Load(path, renamed));
        Assert.Contains("missing enc.weight", ex.Message, StringComparison.Ordinal);
        Assert.Contains("unexpected fc1.bias", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Tiny", ex.Message, StringComparison.Ordinal);
        Assert.Equal(before, renamed.StateTensors()[^1].Tensor.ToArray());
        Assert.Throws<FileNotFoundException>(() => Checkpoint.Load(Path.Combine(dir, "none.safetensors"), renamed));
    }

    private static byte[] WithLength(byte[] file, ulong length)
    {
        byte[] b = (byte[])file.Clone();
        BinaryPrimitives.WriteUInt64LittleEndian(b, length);
        return b;
    }

    private static byte[] Replace(byte[] file, int n, string header)
    {
        byte[] h = Encoding.UTF8.GetBytes(header);
        Assert.Equal(n, h.Length);
        return [.. file[..8], .. h, .. file[(8 + n)..]];
    }
}

// Reader of the PyTorch reference file written by scripts/make_nn_fixtures.py (format in its docstring).
using System.Buffers.Binary;
using System.Text;
using Latent.Tensors;

namespace Latent.Tests.Nn;

public static class TorchFixture
{
    private static readonly Lazy<Dictionary<string, Tensor>> Entries = new(() => Load(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Nn", "torch_reference.bin")));

    public static Tensor Get(string name) =>
        Entries.Value.TryGetValue(name, out Tensor? t) ? t : throw new KeyNotFoundException($"Fixture entry '{name}' is missing; rerun scripts/make_nn_fixtures.py.");

    public static Dictionary<string, Tensor> Load(string path)
    {
        byte[] b = File.ReadAllBytes(path);
        if (b.Length < 12 || Encoding.ASCII.GetString(b, 0, 4) != "LTFX") throw new InvalidDataException($"{path}: bad magic.");
        uint version = BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(4));
        if (version != 1) throw new InvalidDataException($"{path}: version {version}, expected 1.");
        int count = (int)BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(8)), at = 12;
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        for (int e = 0; e < count; e++)
        {
            int nameLen = BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(at)); at += 2;
            string name = Encoding.UTF8.GetString(b, at, nameLen); at += nameLen;
            int rank = (int)BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(at)); at += 4;
            var shape = new int[rank];
            for (int i = 0; i < rank; i++) { shape[i] = (int)BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(at)); at += 4; }
            var t = new Tensor(shape);
            for (int i = 0; i < t.Length; i++) { t.Data[i] = BinaryPrimitives.ReadSingleLittleEndian(b.AsSpan(at)); at += 4; }
            result[name] = t;
        }
        if (at != b.Length) throw new InvalidDataException($"{path}: {b.Length - at} trailing bytes.");
        return result;
    }

    public static void AssertClose(Tensor expected, ReadOnlySpan<float> actual, float tol, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < actual.Length; i++)
        {
            float e = expected.Data[i];
            Assert.True(Math.Abs(e - actual[i]) <= tol * Math.Max(1f, Math.Abs(e)), $"{what}[{i}]: PyTorch {e}, Latent {actual[i]}");
        }
    }
}

// A seeded mutational fuzz of checkpoint parsing (a few thousand inputs, well under a second): byte-level
// mutations of a real checkpoint (random bytes, 0xFF, truncation, a rewritten length) and token-level ones
// that replace a JSON number or string by a hostile literal and fix the length. Every input must either parse
// or be an InvalidDataException: the fuzzer of issue 12 found "Cannot transcode invalid UTF-8" 24,000 times.
using System.Buffers.Binary;
using System.Text;
using System.Text.RegularExpressions;
using Latent.Nn.Checkpoints;
using Latent.Nn.Layers;
using Latent.Tensors;

namespace Latent.Tests.Nn;

public sealed partial class CheckpointFuzzTests
{
    private static readonly string[] Hostile =
    [
        "-1", "0", "2147483648", "4294967296", "9223372036854775807", "1e308", "-0", "1.5", "null", "true",
        "\"x\"", "\"\\ud800\"", "\"\\u0000\"", "[]", "{}", "[1]", "[0,0]", "[-1,2147483647]", "\"__metadata__\"", "\"2\"",
    ];

    [Fact]
    public void MutatedCheckpointsParseOrAreInvalidDataExceptions()
    {
        using var dir = new TempDir();
        string path = dir.File("seed.safetensors");
        Checkpoint.Save(path, new Sequential(("fc1", new Linear(4, 3, new Rng(1))), ("fc2", new Linear(3, 2, new Rng(2)))),
            new Dictionary<string, string> { [Checkpoint.ModelTypeKey] = "Tiny", ["epoch"] = "3" });
        byte[] seed = File.ReadAllBytes(path);
        int n = (int)BinaryPrimitives.ReadUInt64LittleEndian(seed);
        string header = Encoding.UTF8.GetString(seed, 8, n);
        byte[] data = seed[(8 + n)..];
        MatchCollection tokens = Token().Matches(header);
        var rng = new Random(12);
        var failures = new List<string>();
        for (int i = 0; i < 6000; i++)
        {
            byte[] input = i % 2 == 0 ? MutateBytes(seed, n, rng) : MutateToken(header, tokens, data, rng);
            try { Checkpoint.Parse(input, "fuzz"); }
            catch (InvalidDataException) { }
            catch (Exception e) when (failures.Count < 5) { failures.Add($"{e.GetType().Name}: {e.Message} on {Convert.ToHexString(input.AsSpan(0, Math.Min(input.Length, 400)))}"); }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private static byte[] MutateBytes(byte[] seed, int n, Random rng)
    {
        byte[] b = (byte[])seed.Clone();
        switch (rng.Next(4))
        {
            case 0: for (int k = rng.Next(1, 4); k > 0; k--) b[8 + rng.Next(n)] = (byte)rng.Next(256); return b;
            case 1: b[8 + rng.Next(n)] = 0xFF; return b;
            case 2: return b[..rng.Next(b.Length)];
            default: BinaryPrimitives.WriteUInt64LittleEndian(b, (ulong)rng.NextInt64()); return b;
        }
    }

    private static byte[] MutateToken(string header, MatchCollection tokens, byte[] data, Random rng)
    {
        Match t = tokens[rng.Next(tokens.Count)];
        string h = string.Concat(header.AsSpan(0, t.Index), Hostile[rng.Next(Hostile.Length)], header.AsSpan(t.Index + t.Length));
        return CheckpointHeaderTests.Build(Encoding.UTF8.GetBytes(h), data);
    }

    [GeneratedRegex("-?[0-9]+|\"[^\"]*\"")]
    private static partial Regex Token();
}

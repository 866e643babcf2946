// Checkpoint-aware mutations (safetensors: 8-byte little-endian header length N, N bytes of JSON, tensor data;
// see Latent.Nn.Checkpoints.Checkpoint). Most mutations edit the JSON header structurally (JsonMutator), half of
// them inside the model options that AutoencoderFile stores as a JSON string in __metadata__.options, and then fix
// the 8-byte length up so the parser reads the whole new header (and sometimes, on purpose, do not). Others set
// tensor values to NaN, infinities and extremes, resize the data, or mutate the header bytes or the file blindly.
using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Latent.Tests.Fuzz;

public sealed class CheckpointMutator : IInputMutator
{
    private static readonly float[] HostileFloats =
        [float.NaN, float.PositiveInfinity, float.NegativeInfinity, 1e38f, -1e38f, float.MaxValue, float.Epsilon, -0f, 0f, 1e20f];

    public byte[] Mutate(byte[] input, FuzzRandom rng, IReadOnlyList<byte[]> pool)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(rng);
        ArgumentNullException.ThrowIfNull(pool);
        if (!TrySplit(input, out byte[] header, out byte[] data) || rng.Chance(0.1)) return ByteMutator.Mutate(input, rng, pool);
        int op = rng.Next(100);
        if (op < 55 && MutateJson(header, rng) is { } h) header = h;
        else if (op < 75) data = MutateData(data, rng);
        else if (op < 90 || header.Length == 0)
        {
            var b = new List<byte>(header);
            for (int i = rng.Between(1, 4); i > 0; i--) ByteMutator.MutateOnce(b, rng, pool);
            header = [.. b];
        }
        else return SetLength(input, rng);
        if (rng.Chance(0.5)) header = [.. header, .. Encoding.ASCII.GetBytes(new string(' ', (8 - header.Length % 8) % 8))];
        long length = rng.Chance(0.9) ? header.Length : BinaryPrimitives.ReadInt64LittleEndian(input);
        byte[] result = Join(length, header, data);
        return result.Length > ByteMutator.MaxLength ? result[..ByteMutator.MaxLength] : result;
    }

    /// <summary>(header, data) of a file whose 8-byte length fits inside it.</summary>
    public static bool TrySplit(byte[] file, out byte[] header, out byte[] data)
    {
        ArgumentNullException.ThrowIfNull(file);
        header = data = [];
        if (file.Length < 8) return false;
        ulong n = BinaryPrimitives.ReadUInt64LittleEndian(file);
        if (n > (ulong)(file.Length - 8)) return false;
        header = file.AsSpan(8, (int)n).ToArray();
        data = file.AsSpan(8 + (int)n).ToArray();
        return true;
    }

    public static byte[] Join(long headerLength, byte[] header, byte[] data)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(data);
        var file = new byte[8 + header.Length + data.Length];
        BinaryPrimitives.WriteInt64LittleEndian(file, headerLength);
        header.CopyTo(file, 8);
        data.CopyTo(file, 8 + header.Length);
        return file;
    }

    /// <summary>Mutates the header JSON, half the time inside the options JSON string of __metadata__; null when it is not JSON.</summary>
    private static byte[]? MutateJson(byte[] header, FuzzRandom rng)
    {
        JsonNode? root;
        try { root = JsonNode.Parse(Encoding.UTF8.GetString(header)); }
        catch (JsonException) { return null; }
        try { return MutateJson(root, rng); }
        catch (ArgumentException) { return null; }   // an earlier mutant repeated a key: JsonObject parses it but cannot hold it
    }

    private static byte[]? MutateJson(JsonNode? root, FuzzRandom rng)
    {
        if (rng.Chance(0.5) && root is JsonObject top && top["__metadata__"] is JsonObject meta && meta["options"] is JsonValue v && v.TryGetValue(out string? text))
        {
            JsonNode? options;
            try { options = JsonNode.Parse(text); }
            catch (JsonException) { options = null; }
            if (options is not null)
            {
                options = JsonMutator.Mutate(options, rng);
                meta["options"] = options?.ToJsonString() ?? "null";
                return JsonMutator.ToUtf8(root);
            }
        }
        return JsonMutator.ToUtf8(JsonMutator.Mutate(root, rng));
    }

    /// <summary>Tensor values set to NaN, infinities or extremes (4-byte aligned), or the data cut or extended.</summary>
    private static byte[] MutateData(byte[] data, FuzzRandom rng)
    {
        if (data.Length < 4 || rng.Chance(0.2))
            return rng.Chance(0.5) && data.Length > 0 ? data[..rng.Next(data.Length)] : [.. data, .. new byte[rng.Pick(new[] { 1, 4, 64 })]];
        data = (byte[])data.Clone();
        int k = rng.Chance(0.5) ? 1 : rng.Between(2, 64);
        for (int i = 0; i < k; i++)
            BinaryPrimitives.WriteSingleLittleEndian(data.AsSpan(4 * rng.Next(data.Length / 4)), rng.Pick(HostileFloats));
        return data;
    }

    /// <summary>The 8-byte header length set to a boundary value, the rest untouched.</summary>
    private static byte[] SetLength(byte[] input, FuzzRandom rng)
    {
        var b = new List<byte>(input);
        ByteMutator.WriteInteger(b, 0, 8, bigEndian: false, rng.Pick(ByteMutator.InterestingIntegers));
        return [.. b];
    }
}

// Reading a safetensors checkpoint from untrusted bytes (format: see Checkpoint.cs). Every malformed input is an
// InvalidDataException naming the file and what is wrong, never another exception type (issue 12, items 7, 8
// and 11, found by fuzzing):
//   - the header must be valid UTF-8 (checked before any JSON string is read: System.Text.Json would throw
//     InvalidOperationException "Cannot transcode invalid UTF-8" from GetString) and valid JSON, and every JSON
//     or transcoding error left (escaped lone surrogates, depth) is turned into an InvalidDataException;
//   - JSON types are checked before use; duplicate tensor names, metadata keys or __metadata__ are refused;
//   - shapes and offsets use checked 64-bit arithmetic, and the offsets must tile the data buffer exactly, so
//     what is allocated is bounded by the file's real size, whatever the header claims;
//   - latent_format_version must be one this build reads (every checkpoint Latent ever wrote carries "1");
//   - every value must be finite: NaN or Inf weights come from a diverged run and crash scoring later.
using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Unicode;
using Latent.Tensors;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace Latent.Nn.Checkpoints;

public static partial class Checkpoint
{
    /// <summary>The format versions this build reads.</summary>
    public static readonly IReadOnlyList<string> ReadableVersions = [FormatVersion];

    /// <summary>Parses safetensors bytes; <paramref name="source"/> names the file in error messages.</summary>
    public static SafeTensorsFile Parse(ReadOnlySpan<byte> bytes, string source)
    {
        if (bytes.Length < 8)
            throw new InvalidDataException($"Checkpoint '{source}' is truncated: {bytes.Length} bytes, fewer than the 8-byte header length.");
        ulong n = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        if (n > MaxHeaderBytes || n > (ulong)(bytes.Length - 8))
            throw new InvalidDataException($"Checkpoint '{source}' declares a {n}-byte header but has {bytes.Length - 8} bytes after the length: truncated, or not a safetensors file.");
        ReadOnlySpan<byte> header = bytes.Slice(8, (int)n), buffer = bytes[(8 + (int)n)..];
        if (!Utf8.IsValid(header))
            throw new InvalidDataException($"Checkpoint '{source}' has a corrupt header: it is not valid UTF-8 text (first bad byte at offset {8 + FirstInvalidUtf8(header)}).");

        List<Entry> entries;
        Dictionary<string, string> metadata;
        try { (entries, metadata) = ReadHeader(header, source); }
        catch (JsonException ex) { throw new InvalidDataException($"Checkpoint '{source}' has a corrupt JSON header: {ex.Message}", ex); }
        catch (InvalidOperationException ex) { throw new InvalidDataException($"Checkpoint '{source}' has a corrupt JSON header: {ex.Message}", ex); }
        CheckVersion(metadata, source);

        // Offsets must tile the buffer exactly: no holes, no overlaps, nothing after the last tensor.
        long at = 0;
        foreach (Entry e in entries.OrderBy(e => e.Begin))
        {
            if (e.Begin != at) throw new InvalidDataException($"Checkpoint '{source}': tensor '{e.Name}' starts at byte {e.Begin} of the data, expected {at} (overlapping or missing data).");
            at = e.End;
        }
        if (at > buffer.Length)
            throw new InvalidDataException($"Checkpoint '{source}' is truncated: the header describes {at} data bytes, the file holds {buffer.Length}.");
        if (at < buffer.Length)
            throw new InvalidDataException($"Checkpoint '{source}' is oversized: {buffer.Length - at} bytes follow the last tensor described by the header.");
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (Entry e in entries)
        {
            var t = new Tensor(e.Shape);                                    // e.End - e.Begin <= buffer.Length bytes
            ReadFloats(buffer.Slice((int)e.Begin, (int)(e.End - e.Begin)), t.Data);
            if (!TensorPrimitives.IsFiniteAll<float>(t.Data))
                throw new InvalidDataException($"Checkpoint '{source}' holds non-finite weights (NaN or Inf) in tensor '{e.Name}': " +
                    "it was written by a diverged run. Retrain with a smaller learning rate, or resume from an earlier checkpoint.");
            tensors[e.Name] = t;
        }
        return new SafeTensorsFile(tensors, metadata);
    }

    private readonly record struct Entry(string Name, int[] Shape, long Begin, long End);

    private static (List<Entry>, Dictionary<string, string>) ReadHeader(ReadOnlySpan<byte> header, string source)
    {
        using JsonDocument doc = JsonDocument.Parse(header.ToArray());
        if (doc.RootElement.ValueKind != JsonValueKind.Object) throw new InvalidDataException($"Checkpoint '{source}': the header is not a JSON object.");
        Dictionary<string, string>? metadata = null;
        var entries = new List<Entry>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (JsonProperty p in doc.RootElement.EnumerateObject())
        {
            if (p.Name == "__metadata__")
            {
                if (metadata is not null) throw new InvalidDataException($"Checkpoint '{source}': __metadata__ appears twice in the header.");
                metadata = ReadMetadata(p.Value, source);
                continue;
            }
            if (!names.Add(p.Name)) throw new InvalidDataException($"Checkpoint '{source}': tensor '{p.Name}' appears twice in the header.");
            entries.Add(ReadEntry(p, source));
        }
        return (entries, metadata ?? new Dictionary<string, string>(StringComparer.Ordinal));
    }

    private static Entry ReadEntry(JsonProperty p, string source)
    {
        string where = $"Checkpoint '{source}', tensor '{p.Name}'";
        JsonElement v = p.Value;
        if (v.ValueKind != JsonValueKind.Object
            || !v.TryGetProperty("dtype", out JsonElement dtype) || !v.TryGetProperty("shape", out JsonElement shape)
            || !v.TryGetProperty("data_offsets", out JsonElement offsets))
            throw new InvalidDataException($"{where}: the entry needs dtype, shape and data_offsets.");
        if (dtype.ValueKind != JsonValueKind.String || dtype.GetString() != "F32")
            throw new InvalidDataException($"{where}: dtype {Shorten(dtype.GetRawText())} is not supported; Latent stores F32 only.");
        if (shape.ValueKind != JsonValueKind.Array || offsets.ValueKind != JsonValueKind.Array || offsets.GetArrayLength() != 2)
            throw new InvalidDataException($"{where}: shape must be an array and data_offsets a [begin, end] pair.");
        var dims = new int[shape.GetArrayLength()];
        long count = 1;
        int i = 0;
        foreach (JsonElement d in shape.EnumerateArray())
        {
            if (d.ValueKind != JsonValueKind.Number || !d.TryGetInt32(out int di) || di < 0)
                throw new InvalidDataException($"{where}: shape entry {Shorten(d.GetRawText())} is not a non-negative 32-bit integer.");
            dims[i++] = di;
            count = checked(count * di);                                    // <= MaxLength * int.MaxValue < 2^62
            if (count > Array.MaxLength) throw new InvalidDataException($"{where}: shape {Shorten(shape.GetRawText())} has more than {Array.MaxLength} elements.");
        }
        long begin = offsets[0].ValueKind == JsonValueKind.Number && offsets[0].TryGetInt64(out long b) ? b : -1;
        long end = offsets[1].ValueKind == JsonValueKind.Number && offsets[1].TryGetInt64(out long en) ? en : -1;
        if (begin < 0 || end < begin)
            throw new InvalidDataException($"{where}: data_offsets [{Shorten(offsets[0].GetRawText())}, {Shorten(offsets[1].GetRawText())}] are not a valid range.");
        if (end - begin != count * 4)
            throw new InvalidDataException($"{where}: shape {Tensor.ShapeString(dims)} needs {count * 4} bytes, data_offsets span {end - begin}.");
        return new Entry(p.Name, dims, begin, end);
    }

    private static Dictionary<string, string> ReadMetadata(JsonElement v, string source)
    {
        if (v.ValueKind != JsonValueKind.Object) throw new InvalidDataException($"Checkpoint '{source}': __metadata__ must be an object of strings.");
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (JsonProperty m in v.EnumerateObject())
        {
            if (m.Value.ValueKind != JsonValueKind.String) throw new InvalidDataException($"Checkpoint '{source}': metadata '{m.Name}' is not a string.");
            if (!metadata.TryAdd(m.Name, m.Value.GetString()!)) throw new InvalidDataException($"Checkpoint '{source}': metadata '{m.Name}' appears twice.");
        }
        return metadata;
    }

    private static void CheckVersion(Dictionary<string, string> metadata, string source)
    {
        string readable = string.Join(", ", ReadableVersions);
        if (!metadata.TryGetValue(VersionKey, out string? version))
            throw new InvalidDataException($"Checkpoint '{source}' has no {VersionKey} in its metadata, so it was not written by Latent " +
                $"(every Latent checkpoint records it; this build reads version {readable}).");
        if (!ReadableVersions.Contains(version))
            throw new InvalidDataException($"Checkpoint '{source}' has format version '{Shorten(version)}'; this build of Latent reads version {readable} only. " +
                "Use the Latent release that wrote it, or retrain.");
    }

    private static int FirstInvalidUtf8(ReadOnlySpan<byte> text)
    {
        Span<char> chunk = stackalloc char[1024];
        int at = 0;
        while (true)
        {
            OperationStatus status = Utf8.ToUtf16(text[at..], chunk, out int read, out _, replaceInvalidSequences: false);
            at += read;
            if (status != OperationStatus.DestinationTooSmall) return at;
        }
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "...";

    private static void ReadFloats(ReadOnlySpan<byte> bytes, Span<float> values)
    {
        if (BitConverter.IsLittleEndian) { MemoryMarshal.Cast<byte, float>(bytes).CopyTo(values); return; }
        for (int i = 0; i < values.Length; i++) values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.Slice(4 * i));
    }
}

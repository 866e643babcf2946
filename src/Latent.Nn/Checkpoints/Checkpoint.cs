// Checkpoints in the safetensors format (https://github.com/huggingface/safetensors, "Format"):
//   8 bytes      N, the header length, unsigned little-endian
//   N bytes      UTF-8 JSON: { "<name>": { "dtype": "F32", "shape": [..], "data_offsets": [begin, end] }, ...,
//                "__metadata__": { string: string } }   (padded with spaces to a multiple of 8)
//   rest         the tensors' raw little-endian bytes; offsets are relative to the start of this buffer
// Metadata carries the model type, its options (JSON) and the checkpoint format version.
// Saving writes a temporary file in the same folder and renames it over the target, so a crash never
// leaves a half-written checkpoint. Loading reads and validates everything (header against the file
// length, dtype, shapes, offsets without holes or overlaps, the module's names and shapes) before it
// copies a single value into the module: a bad file is an InvalidDataException naming the problem,
// never a crash or a silent partial load.
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text.Json;
using Latent.Tensors;

namespace Latent.Nn.Checkpoints;

public static class Checkpoint
{
    /// <summary>Metadata key of the model type (e.g. "DenseVAE").</summary>
    public const string ModelTypeKey = "model_type";
    /// <summary>Metadata key of the model options, serialised as JSON.</summary>
    public const string OptionsKey = "options";
    /// <summary>Metadata key of the checkpoint format version.</summary>
    public const string VersionKey = "latent_format_version";
    /// <summary>The format version written by this code.</summary>
    public const string FormatVersion = "1";

    /// <summary>Refuse headers above this size (a corrupt length would otherwise allocate gigabytes).</summary>
    public const int MaxHeaderBytes = 100 << 20;

    /// <summary>Saves every parameter and buffer of <paramref name="module"/> with its qualified name.</summary>
    public static void Save(string path, Module module, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(module);
        Save(path, module.StateTensors(), metadata);
    }

    /// <summary>Saves named tensors (unique names) and metadata; the format version is added to the metadata.</summary>
    public static void Save(string path, IReadOnlyList<NamedTensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(tensors);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (NamedTensor t in tensors)
            if (t.Name == "__metadata__" || !names.Add(t.Name)) throw new ArgumentException($"Tensor name '{t.Name}' is duplicated or reserved.", nameof(tensors));

        byte[] header = BuildHeader(tensors, metadata);
        string full = Path.GetFullPath(path);
        string tmp = full + ".tmp-" + Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        try
        {
            using (var fs = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                Span<byte> len = stackalloc byte[8];
                BinaryPrimitives.WriteUInt64LittleEndian(len, (ulong)header.Length);
                fs.Write(len);
                fs.Write(header);
                foreach (NamedTensor t in tensors) WriteFloats(fs, t.Tensor.Data);
                fs.Flush(flushToDisk: true);
            }
            File.Move(tmp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(tmp)) File.Delete(tmp);
        }
    }

    /// <summary>Loads a checkpoint into <paramref name="module"/>: names and shapes must match its parameters and
    /// buffers exactly, apart from extra tensors the caller reads itself (<paramref name="extra"/>, e.g. optimiser
    /// state). Returns the metadata (check <see cref="ModelTypeKey"/> yourself).</summary>
    public static IReadOnlyDictionary<string, string> Load(string path, Module module, Func<string, bool>? extra = null)
    {
        ArgumentNullException.ThrowIfNull(module);
        SafeTensorsFile file = Read(path);
        Copy(file, path, module, extra);
        return file.Metadata;
    }

    /// <summary>Copies the tensors of a file already read into <paramref name="module"/>, with the checks of
    /// <see cref="Load"/>; <paramref name="path"/> names the file in errors.</summary>
    public static void Copy(SafeTensorsFile file, string path, Module module, Func<string, bool>? extra = null)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(module);
        IReadOnlyList<NamedTensor> expected = module.StateTensors();
        var missing = expected.Where(e => !file.Tensors.ContainsKey(e.Name)).Select(e => e.Name).ToList();
        var expectedNames = expected.Select(e => e.Name).ToHashSet(StringComparer.Ordinal);
        var unexpected = file.Tensors.Keys.Where(k => !expectedNames.Contains(k) && !(extra?.Invoke(k) ?? false)).OrderBy(k => k, StringComparer.Ordinal).ToList();
        if (missing.Count > 0 || unexpected.Count > 0)
            throw new InvalidDataException($"Checkpoint '{path}' does not match the model ({Describe(file.Metadata)}): " +
                (missing.Count > 0 ? $"missing {string.Join(", ", missing)}" : "") +
                (missing.Count > 0 && unexpected.Count > 0 ? "; " : "") +
                (unexpected.Count > 0 ? $"unexpected {string.Join(", ", unexpected)}" : "") + ". Was it saved from a different model or options?");
        foreach (NamedTensor e in expected)
        {
            Tensor t = file.Tensors[e.Name];
            if (!t.Shape.SequenceEqual(e.Tensor.Shape))
                throw new InvalidDataException($"Checkpoint '{path}': tensor '{e.Name}' has shape {Tensor.ShapeString(t.Shape)}, the model expects {Tensor.ShapeString(e.Tensor.Shape)}. Were the model options different?");
        }
        foreach (NamedTensor e in expected) file.Tensors[e.Name].Data.CopyTo(e.Tensor.Data);
    }

    /// <summary>Reads and validates a whole safetensors file (F32 tensors only).</summary>
    public static SafeTensorsFile Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (FileNotFoundException) { throw new FileNotFoundException($"Checkpoint '{path}' does not exist.", path); }
        return Parse(bytes, path);
    }

    /// <summary>Parses safetensors bytes; <paramref name="source"/> names the file in error messages.</summary>
    public static SafeTensorsFile Parse(ReadOnlySpan<byte> bytes, string source)
    {
        if (bytes.Length < 8)
            throw new InvalidDataException($"Checkpoint '{source}' is truncated: {bytes.Length} bytes, fewer than the 8-byte header length.");
        ulong n = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        if (n > MaxHeaderBytes || n > (ulong)(bytes.Length - 8))
            throw new InvalidDataException($"Checkpoint '{source}' declares a {n}-byte header but has {bytes.Length - 8} bytes after the length: truncated, or not a safetensors file.");
        ReadOnlySpan<byte> header = bytes.Slice(8, (int)n), buffer = bytes[(8 + (int)n)..];

        JsonDocument doc;
        try { doc = JsonDocument.Parse(header.ToArray()); }
        catch (JsonException ex) { throw new InvalidDataException($"Checkpoint '{source}' has a corrupt JSON header: {ex.Message}", ex); }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object) throw new InvalidDataException($"Checkpoint '{source}': the header is not a JSON object.");
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            var entries = new List<(string Name, int[] Shape, long Begin, long End)>();
            foreach (JsonProperty p in doc.RootElement.EnumerateObject())
            {
                if (p.Name == "__metadata__") { ReadMetadata(p.Value, metadata, source); continue; }
                entries.Add(ReadEntry(p, source));
            }
            // Offsets must tile the buffer exactly: no holes, no overlaps, nothing after the last tensor.
            long at = 0;
            foreach (var e in entries.OrderBy(e => e.Begin))
            {
                if (e.Begin != at) throw new InvalidDataException($"Checkpoint '{source}': tensor '{e.Name}' starts at byte {e.Begin} of the data, expected {at} (overlapping or missing data).");
                at = e.End;
            }
            if (at > buffer.Length)
                throw new InvalidDataException($"Checkpoint '{source}' is truncated: the header describes {at} data bytes, the file holds {buffer.Length}.");
            if (at < buffer.Length)
                throw new InvalidDataException($"Checkpoint '{source}' is oversized: {buffer.Length - at} bytes follow the last tensor described by the header.");
            var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
            foreach (var e in entries)
            {
                var t = new Tensor(e.Shape);
                ReadFloats(buffer.Slice((int)e.Begin, (int)(e.End - e.Begin)), t.Data);
                tensors[e.Name] = t;
            }
            return new SafeTensorsFile(tensors, metadata);
        }
    }

    private static (string, int[], long, long) ReadEntry(JsonProperty p, string source)
    {
        string where = $"Checkpoint '{source}', tensor '{p.Name}'";
        JsonElement v = p.Value;
        if (v.ValueKind != JsonValueKind.Object
            || !v.TryGetProperty("dtype", out JsonElement dtype) || !v.TryGetProperty("shape", out JsonElement shape)
            || !v.TryGetProperty("data_offsets", out JsonElement offsets))
            throw new InvalidDataException($"{where}: the entry needs dtype, shape and data_offsets.");
        if (dtype.ValueKind != JsonValueKind.String || dtype.GetString() != "F32")
            throw new InvalidDataException($"{where}: dtype {dtype} is not supported; Latent stores F32 only.");
        if (shape.ValueKind != JsonValueKind.Array || offsets.ValueKind != JsonValueKind.Array || offsets.GetArrayLength() != 2)
            throw new InvalidDataException($"{where}: shape must be an array and data_offsets a [begin, end] pair.");
        var dims = new int[shape.GetArrayLength()];
        long count = 1;
        int i = 0;
        foreach (JsonElement d in shape.EnumerateArray())
        {
            if (d.ValueKind != JsonValueKind.Number || !d.TryGetInt32(out int di) || di < 0)
                throw new InvalidDataException($"{where}: shape entry {d} is not a non-negative integer.");
            dims[i++] = di;
            count *= di;
            if (count > Array.MaxLength) throw new InvalidDataException($"{where}: shape is too large.");
        }
        long begin = offsets[0].ValueKind == JsonValueKind.Number && offsets[0].TryGetInt64(out long b) ? b : -1;
        long end = offsets[1].ValueKind == JsonValueKind.Number && offsets[1].TryGetInt64(out long en) ? en : -1;
        if (begin < 0 || end < begin) throw new InvalidDataException($"{where}: data_offsets [{offsets[0]}, {offsets[1]}] are not a valid range.");
        if (end - begin != count * 4)
            throw new InvalidDataException($"{where}: shape {Tensor.ShapeString(dims)} needs {count * 4} bytes, data_offsets span {end - begin}.");
        return (p.Name, dims, begin, end);
    }

    private static void ReadMetadata(JsonElement v, Dictionary<string, string> metadata, string source)
    {
        if (v.ValueKind != JsonValueKind.Object) throw new InvalidDataException($"Checkpoint '{source}': __metadata__ must be an object of strings.");
        foreach (JsonProperty m in v.EnumerateObject())
        {
            if (m.Value.ValueKind != JsonValueKind.String) throw new InvalidDataException($"Checkpoint '{source}': metadata '{m.Name}' is not a string.");
            metadata[m.Name] = m.Value.GetString()!;
        }
    }

    private static byte[] BuildHeader(IReadOnlyList<NamedTensor> tensors, IReadOnlyDictionary<string, string>? metadata)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms))
        {
            w.WriteStartObject();
            w.WriteStartObject("__metadata__");
            if (metadata is not null)
                foreach (KeyValuePair<string, string> kv in metadata.OrderBy(k => k.Key, StringComparer.Ordinal))
                    if (kv.Key != VersionKey) w.WriteString(kv.Key, kv.Value);
            w.WriteString(VersionKey, FormatVersion);
            w.WriteEndObject();
            long at = 0;
            foreach (NamedTensor t in tensors)
            {
                w.WriteStartObject(t.Name);
                w.WriteString("dtype", "F32");
                w.WriteStartArray("shape");
                foreach (int d in t.Tensor.Shape) w.WriteNumberValue(d);
                w.WriteEndArray();
                w.WriteStartArray("data_offsets");
                w.WriteNumberValue(at);
                at += 4L * t.Tensor.Length;
                w.WriteNumberValue(at);
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }
        int pad = (int)((8 - ms.Length % 8) % 8);               // align the data buffer to 8 bytes (spec allows trailing spaces)
        for (int i = 0; i < pad; i++) ms.WriteByte((byte)' ');
        return ms.ToArray();
    }

    private static void WriteFloats(Stream s, ReadOnlySpan<float> values)
    {
        if (BitConverter.IsLittleEndian) { s.Write(MemoryMarshal.AsBytes(values)); return; }
        Span<byte> b = stackalloc byte[4];
        foreach (float f in values) { BinaryPrimitives.WriteSingleLittleEndian(b, f); s.Write(b); }
    }

    private static void ReadFloats(ReadOnlySpan<byte> bytes, Span<float> values)
    {
        if (BitConverter.IsLittleEndian) { MemoryMarshal.Cast<byte, float>(bytes).CopyTo(values); return; }
        for (int i = 0; i < values.Length; i++) values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.Slice(4 * i));
    }

    private static string Describe(IReadOnlyDictionary<string, string> metadata) =>
        metadata.TryGetValue(ModelTypeKey, out string? type) ? $"saved model type '{type}'" : "no model type recorded";
}

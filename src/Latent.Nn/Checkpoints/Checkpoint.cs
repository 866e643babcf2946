// Checkpoints in the safetensors format (https://github.com/huggingface/safetensors, "Format"):
//   8 bytes      N, the header length, unsigned little-endian
//   N bytes      UTF-8 JSON: { "<name>": { "dtype": "F32", "shape": [..], "data_offsets": [begin, end] }, ...,
//                "__metadata__": { string: string } }   (padded with spaces to a multiple of 8)
//   rest         the tensors' raw little-endian bytes; offsets are relative to the start of this buffer
// Metadata carries the model type, its options (JSON) and the checkpoint format version.
// Saving refuses non-finite values (a diverged run) and goes through Latent.IO.AtomicFile: a temporary file in the
// same folder renamed over the target, under the output lock, never over a device or folder, so a crash never
// leaves a half-written checkpoint and a kill -9 leaves only a temporary the next save removes. Loading reads and validates everything (header against the file
// length, dtype, shapes, offsets without holes or overlaps, the module's names and shapes) before it
// copies a single value into the module: a bad file is an InvalidDataException naming the problem,
// never a crash or a silent partial load.
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text.Json;
using Latent.IO;
using Latent.Tensors;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace Latent.Nn.Checkpoints;

/// <summary>Checkpoints in the safetensors format: named float32 tensors and string metadata (model type, options, format version), validated on read.</summary>
public static partial class Checkpoint
{
    /// <summary>Metadata key of the model type (e.g. "latent.autoencoder.vae", a registry entry's CheckpointType).</summary>
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

        EnsureFinite(tensors, path);
        byte[] header = BuildHeader(tensors, metadata);
        AtomicFile.Write(path, fs =>
        {
            Span<byte> len = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(len, (ulong)header.Length);
            fs.Write(len);
            fs.Write(header);
            foreach (NamedTensor t in tensors) WriteFloats(fs, t.Tensor.Data);
        });
    }

    /// <summary>The name of the first tensor holding a NaN or an infinity, or null when every value is finite.</summary>
    public static string? FirstNonFinite(IReadOnlyList<NamedTensor> tensors)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        foreach (NamedTensor t in tensors)
            if (!TensorPrimitives.IsFiniteAll<float>(t.Tensor.Data)) return t.Name;
        return null;
    }

    /// <summary>Throws an InvalidDataException naming the first tensor holding a NaN or an infinity: such weights
    /// come from a diverged run, and a checkpoint of them could not be loaded (<paramref name="path"/> names the
    /// checkpoint that is not written).</summary>
    public static void EnsureFinite(IReadOnlyList<NamedTensor> tensors, string path)
    {
        if (FirstNonFinite(tensors) is string bad)
            throw new InvalidDataException($"Refusing to write checkpoint '{path}': tensor '{bad}' holds non-finite values (NaN or Inf), " +
                "so the run diverged; the file already there, if any, is kept. Try a smaller learning rate.");
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
        FileKind kind = FileKinds.Of(path);
        if (kind == FileKind.None) throw new FileNotFoundException($"Checkpoint '{path}' does not exist.", path);
        if (kind != FileKind.Regular)
            throw new IOException($"Checkpoint '{path}' is {FileKinds.Describe(kind)}, not a file; give a checkpoint file.");
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (FileNotFoundException) { throw new FileNotFoundException($"Checkpoint '{path}' does not exist.", path); }
        return Parse(bytes, path);
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

    private static string Describe(IReadOnlyDictionary<string, string> metadata) =>
        metadata.TryGetValue(ModelTypeKey, out string? type) ? $"saved model type '{type}'" : "no model type recorded";
}

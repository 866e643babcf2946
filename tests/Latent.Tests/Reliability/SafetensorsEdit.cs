// Edits of a safetensors checkpoint (layout in Latent.Nn.Checkpoints.Checkpoint: 8-byte little-endian header length N,
// N bytes of JSON, then the tensors' bytes): the header JSON rewritten, or tensors dropped with their bytes, the
// offsets of the others renumbered. Invalid-UTF-8 markers of JsonMutator become raw bytes.
using System.Text;
using System.Text.Json.Nodes;
using Latent.Tests.Fuzz;

namespace Latent.Tests.Reliability;

public static class SafetensorsEdit
{
    public static byte[] Header(byte[] checkpoint, Action<JsonObject> edit)
    {
        ArgumentNullException.ThrowIfNull(edit);
        if (!CheckpointMutator.TrySplit(checkpoint, out byte[] header, out byte[] data)) throw new ArgumentException("not a safetensors file", nameof(checkpoint));
        JsonObject root = JsonNode.Parse(Encoding.UTF8.GetString(header))!.AsObject();
        edit(root);
        byte[] h = JsonMutator.ToUtf8(root);
        return CheckpointMutator.Join(h.Length, h, data);
    }

    /// <summary>The checkpoint without the tensors whose names start with <paramref name="prefix"/>.</summary>
    public static byte[] DropTensors(byte[] checkpoint, string prefix)
    {
        if (!CheckpointMutator.TrySplit(checkpoint, out byte[] header, out byte[] data)) throw new ArgumentException("not a safetensors file", nameof(checkpoint));
        JsonObject root = JsonNode.Parse(Encoding.UTF8.GetString(header))!.AsObject();
        var kept = new JsonObject();
        using var bytes = new MemoryStream();
        foreach (var (name, node) in root.ToList())
        {
            if (name == "__metadata__") kept[name] = node!.DeepClone();
            if (name == "__metadata__" || name.StartsWith(prefix, StringComparison.Ordinal)) continue;
            var offsets = node!["data_offsets"]!.AsArray();
            int begin = (int)offsets[0]!, end = (int)offsets[1]!;
            var t = node.DeepClone().AsObject();
            t["data_offsets"] = new JsonArray(bytes.Length, bytes.Length + end - begin);
            bytes.Write(data, begin, end - begin);
            kept[name] = t;
        }
        byte[] h = Encoding.UTF8.GetBytes(kept.ToJsonString());
        return CheckpointMutator.Join(h.Length, h, bytes.ToArray());
    }
}

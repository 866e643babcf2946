// Copies a replica's weights into a product model by name mapping, so the product network starts from exactly the
// weights PyTorch draws (TorchRandom.ApplyDefaultInit on the replica) and a benchmark or test can check that the
// product computes the replica's loss before it is timed. Every parameter of the replica must map to a parameter of
// the product with the same shape, and every parameter of the product must be covered (buffers are not copied);
// anything else is an error naming the tensor (a silent partial copy would make the check meaningless).
// The maps below name the product autoencoders' layout (AutoencoderModel: "enc" / "dec" holding an Encoder / Decoder
// whose layers are the Sequential "net"; the dense Encoder starts with a Flatten, so its layer indices are one up).
using Latent.Nn;

namespace Latent.Replicas;

public static class ReplicaWeights
{
    /// <summary>
    /// For each parameter "name" of <paramref name="replica"/>, copies its values into the parameter
    /// <paramref name="map"/>(name) of <paramref name="product"/>. Returns the number of tensors copied.
    /// </summary>
    public static int CopyInto(Module replica, Module product, Func<string, string> map)
    {
        ArgumentNullException.ThrowIfNull(replica);
        ArgumentNullException.ThrowIfNull(product);
        ArgumentNullException.ThrowIfNull(map);
        var target = product.NamedParameters().ToDictionary(p => p.Name, p => p.Tensor, StringComparer.Ordinal);
        var covered = new HashSet<string>(StringComparer.Ordinal);
        foreach (NamedTensor p in replica.NamedParameters())
        {
            string name = map(p.Name);
            if (!target.TryGetValue(name, out var t))
                throw new ArgumentException($"replica parameter '{p.Name}' maps to '{name}', which the product model does not have.");
            if (!t.ShapeArray().SequenceEqual(p.Tensor.ShapeArray()))
                throw new ArgumentException($"replica parameter '{p.Name}' is ({string.Join(", ", p.Tensor.ShapeArray())}) but product '{name}' is ({string.Join(", ", t.ShapeArray())}).");
            if (!covered.Add(name)) throw new ArgumentException($"two replica parameters map to product parameter '{name}'.");
            p.Tensor.Data.CopyTo(t.Data);
        }
        string? missed = target.Keys.FirstOrDefault(k => !covered.Contains(k));
        if (missed is not null) throw new ArgumentException($"product parameter '{missed}' has no replica counterpart: the networks differ.");
        return covered.Count;
    }

    /// <summary>ConvVae "enc.3.weight" -> the product VAE's "enc.net.3.weight" (same layer indices).</summary>
    public static string ConvVaeToProduct(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Prefix(name, "enc.", "enc.net.") ?? Prefix(name, "dec.", "dec.net.")
            ?? throw new ArgumentException($"'{name}' is not a ConvVae parameter name.", nameof(name));
    }

    /// <summary>DenseAutoencoder / DenseVae "encoder.2.weight" -> "enc.net.3.weight" (after the product's Flatten),
    /// "decoder.2.weight" -> "dec.net.2.weight".</summary>
    public static string DenseToProduct(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (Prefix(name, "decoder.", "dec.net.") is string dec) return dec;
        string[] parts = name.Split('.');
        if (parts.Length == 3 && parts[0] == "encoder" && int.TryParse(parts[1], System.Globalization.CultureInfo.InvariantCulture, out int i))
            return string.Create(System.Globalization.CultureInfo.InvariantCulture, $"enc.net.{i + 1}.{parts[2]}");
        throw new ArgumentException($"'{name}' is not a DenseAutoencoder / DenseVae parameter name.", nameof(name));
    }

    /// <summary>DcganReplica "g.fc.i.*" -> the product GanModel's "gen.net.i.*", "g.net.i.*" -> "gen.net.(i + 4).*" (after
    /// the product's Unflatten), "d.net.6.*" (the Linear) -> "disc.head.*", "d.net.i.*" -> "disc.trunk.net.i.*".</summary>
    public static string DcganToProduct(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        string[] parts = name.Split('.');
        if (parts.Length == 4 && int.TryParse(parts[2], System.Globalization.CultureInfo.InvariantCulture, out int i))
        {
            string p = parts[3];
            switch (parts[0], parts[1])
            {
                case ("g", "fc"): return string.Create(System.Globalization.CultureInfo.InvariantCulture, $"gen.net.{i}.{p}");
                case ("g", "net"): return string.Create(System.Globalization.CultureInfo.InvariantCulture, $"gen.net.{i + 4}.{p}");
                case ("d", "net") when i == 6: return $"disc.head.{p}";
                case ("d", "net"): return string.Create(System.Globalization.CultureInfo.InvariantCulture, $"disc.trunk.net.{i}.{p}");
            }
        }
        throw new ArgumentException($"'{name}' is not a DcganReplica parameter name.", nameof(name));
    }

    private static string? Prefix(string name, string from, string to) =>
        name.StartsWith(from, StringComparison.Ordinal) ? to + name[from.Length..] : null;
}

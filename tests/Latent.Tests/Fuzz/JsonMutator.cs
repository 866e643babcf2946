// Structural mutations of a JSON document (the checkpoint header and the model options inside it): a random node
// becomes a boundary number (2^31 - 1, 2^31, -1, 1e9, 1e400, ...), a hostile string (invalid UTF-8, empty, long),
// a value of another type (null, bool, array, object, a copy of another node), or is removed; objects gain keys and
// arrays elements. Invalid UTF-8 cannot live in a .NET string, so a string node holds a marker that
// <see cref="ToUtf8"/> replaces by the raw bytes afterwards.
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Latent.Tests.Fuzz;

public static class JsonMutator
{
    private const string MarkerPrefix = "~BADUTF8-";

    private static readonly string[] NumberLiterals =
    [
        "0", "1", "-1", "2", "3", "16", "100000", "1e8", "1e9", "1000000000", "2147483647", "2147483648", "-2147483648",
        "4294967296", "9223372036854775807", "18446744073709551616", "-9223372036854775808", "1e308", "1e400", "-1e400",
        "1.5", "-0", "1e-300", "0.1",
    ];

    /// <summary>Byte sequences that are not UTF-8: a lone continuation byte, 0xFF, an overlong NUL, a surrogate, a 5-byte form, a cut sequence.</summary>
    private static readonly byte[][] InvalidUtf8 = [[0xFF], [0x80], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80], [0xE2, 0x82]];

    private static readonly string[] Swaps = ["null", "true", "false", "[]", "{}", "0", "\"x\"", "[0, 1]", "{\"a\": 1}", "[null]", "\"\""];

    /// <summary>Applies 1 to 3 mutations to <paramref name="root"/> in place; returns the (possibly replaced) root.</summary>
    public static JsonNode? Mutate(JsonNode? root, FuzzRandom rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        int n = rng.Between(1, 3);
        for (int i = 0; i < n; i++) root = MutateOnce(root, rng);
        return root;
    }

    private static JsonNode? MutateOnce(JsonNode? root, FuzzRandom rng)
    {
        var nodes = new List<JsonNode>();
        Collect(root, nodes);
        if (nodes.Count == 0) return Literal(rng.Pick(Swaps));
        JsonNode target = rng.Pick(nodes);
        int op = rng.Next(6);
        if (op == 4 && target is JsonObject o) { o[$"fuzz{rng.Next(4)}"] = Value(rng, nodes); return root; }
        if (op == 4 && target is JsonArray a) { a.Insert(rng.Next(a.Count + 1), Value(rng, nodes)); return root; }
        if (target.Parent is null) return op == 3 ? null : Value(rng, nodes);
        if (op == 3) { Remove(target); return root; }
        Replace(target, op switch
        {
            0 => Literal(rng.Pick(NumberLiterals)),
            1 => HostileString(rng),
            5 when target.GetValueKind() == JsonValueKind.Number => Tweak(target, rng),
            _ => Value(rng, nodes),
        });
        return root;
    }

    private static void Collect(JsonNode? node, List<JsonNode> into)
    {
        if (node is null) return;
        into.Add(node);
        if (node is JsonObject o) foreach (KeyValuePair<string, JsonNode?> kv in o) Collect(kv.Value, into);
        else if (node is JsonArray a) foreach (JsonNode? e in a) Collect(e, into);
    }

    private static JsonNode? Value(FuzzRandom rng, List<JsonNode> nodes) => rng.Next(4) switch
    {
        0 => Literal(rng.Pick(NumberLiterals)),
        1 => HostileString(rng),
        2 => rng.Pick(nodes).DeepClone(),
        _ => Literal(rng.Pick(Swaps)),
    };

    private static JsonNode? Literal(string json) => JsonNode.Parse(json);

    private static JsonNode HostileString(FuzzRandom rng) => rng.Next(6) switch
    {
        0 or 1 => JsonValue.Create(InvalidUtf8Marker(rng.Next(InvalidUtf8.Length))),
        2 => JsonValue.Create(""),
        3 => JsonValue.Create(new string('9', rng.Pick(new[] { 10, 20, 400 }))),
        4 => JsonValue.Create(rng.Pick(new[] { "-1", "1e9", "NaN", "Infinity", "abc", "0x10", " 1", "vae", "dense", "Conv" })),
        _ => JsonValue.Create("\0\u00e9\ud83d\ude00"),
    };

    /// <summary>A number times -1, +-1, x 1000 or x 2^31.</summary>
    private static JsonNode? Tweak(JsonNode number, FuzzRandom rng)
    {
        double v = double.Parse(number.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture);
        double t = rng.Next(4) switch { 0 => -v, 1 => v + 1, 2 => v * 1000, _ => v * 2147483648.0 };
        if (!double.IsFinite(t)) return Literal(t > 0 ? "1e400" : "-1e400");
        return Math.Abs(t) < 9e15 && t == Math.Floor(t) ? JsonValue.Create((long)t) : JsonValue.Create(t);
    }

    private static void Remove(JsonNode node)
    {
        switch (node.Parent)
        {
            case JsonObject o: o.Remove(node.GetPropertyName()); break;
            case JsonArray a: a.RemoveAt(node.GetElementIndex()); break;
        }
    }

    private static void Replace(JsonNode node, JsonNode? with)
    {
        switch (node.Parent)
        {
            case JsonObject o: o[node.GetPropertyName()] = with; break;
            case JsonArray a: a[node.GetElementIndex()] = with; break;
        }
    }

    /// <summary>A string that <see cref="ToUtf8"/> turns into invalid UTF-8 sequence number <paramref name="k"/>.</summary>
    public static string InvalidUtf8Marker(int k) => $"{MarkerPrefix}{k}~";

    /// <summary>The document as UTF-8, with each invalid-UTF-8 marker replaced by its raw bytes.</summary>
    public static byte[] ToUtf8(JsonNode? root)
    {
        byte[] text = Encoding.UTF8.GetBytes(root?.ToJsonString() ?? "null");
        return ReplaceMarkers(text);
    }

    /// <summary>Replaces each invalid-UTF-8 marker in serialised JSON by its raw bytes (markers survive being nested in a JSON string).</summary>
    public static byte[] ReplaceMarkers(byte[] text)
    {
        ArgumentNullException.ThrowIfNull(text);
        byte[] prefix = Encoding.ASCII.GetBytes(MarkerPrefix);
        var output = new List<byte>(text.Length);
        int i = 0;
        while (i < text.Length)
        {
            int at = text.AsSpan(i).IndexOf(prefix);
            if (at < 0) { output.AddRange(text.AsSpan(i).ToArray()); break; }
            output.AddRange(text.AsSpan(i, at).ToArray());
            int digit = i + at + prefix.Length;
            if (digit + 1 < text.Length && text[digit + 1] == (byte)'~' && text[digit] - '0' is >= 0 and var k && k < InvalidUtf8.Length)
            {
                output.AddRange(InvalidUtf8[k]);
                i = digit + 2;
            }
            else
            {
                output.AddRange(prefix);
                i = digit;
            }
        }
        return [.. output];
    }
}

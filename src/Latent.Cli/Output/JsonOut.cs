// Writes the one JSON document of a --json run. Non-finite numbers (which JSON lacks) become null.
using System.Text.Json;

namespace Latent.Cli.Output;

public static class JsonOut
{
    public static void Write(TextWriter output, Action<Utf8JsonWriter> body)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(body);
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true }))
            body(w);
        output.WriteLine(System.Text.Encoding.UTF8.GetString(ms.ToArray()));
    }

    public static void Number(this Utf8JsonWriter w, string name, double? v)
    {
        ArgumentNullException.ThrowIfNull(w);
        if (v is double d && double.IsFinite(d)) w.WriteNumber(name, d);
        else w.WriteNull(name);
    }
}

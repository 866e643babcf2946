// What `latent score` computed for one batch of images, and its four forms: the aligned text table (the default on a
// terminal or a pipe), CSV (RFC 4180: a header row, fields with commas, quotes or line breaks quoted), JSON Lines (one
// object per image) and the samples of the --json document. Every form carries each image's index in the whole input,
// its path, every score, with calibration the p-value and decision per calibrated score, and with --with-z the latent
// code (CSV columns z0 .. z{Z-1}, JSON array "z"). CSV and JSON Lines write numbers in the shortest form that reads
// back to the same double (as the --json document does), so the three parse to identical values; a non-finite score
// is an empty CSV cell and a JSON null. The header is written once (WriteCsvHeader), the rows batch after batch.
using System.Globalization;
using System.Text;
using System.Text.Json;
using Latent.Cli.Output;
using Latent.Models;

namespace Latent.Cli;

internal sealed record ScoreTable(
    IReadOnlyList<long> Indices,
    IReadOnlyList<string> Names,
    IReadOnlyList<string> Paths,
    IReadOnlyList<ScoreInfo> Scores,
    IReadOnlyDictionary<string, double[]> Values,
    IReadOnlyList<(string Name, double[] P, bool[] Novel)>? Decisions)
{
    public int Count => Names.Count;

    /// <summary>(Count, ZSize) latent codes (--with-z), or null.</summary>
    public float[]? Z { get; init; }

    public int ZSize { get; init; }

    /// <summary>The calibrated score's p-values and decisions, or null.</summary>
    public (string Name, double[] P, bool[] Novel)? DecisionOf(string score) =>
        Decisions?.FirstOrDefault(d => d.Name == score) is { Name: not null } d ? d : null;

    /// <summary>The CSV header: index, path, per score its value (and p_, decision_ columns), then z0 .. z{Z-1}.</summary>
    public static void WriteCsvHeader(TextWriter w, IReadOnlyList<ScoreInfo> scores, IReadOnlyCollection<string> calibrated, int zSize)
    {
        var header = new List<string> { "index", "path" };
        foreach (var info in scores)
        {
            header.Add(info.Name);
            if (calibrated.Contains(info.Name)) header.AddRange([$"p_{info.Name}", $"decision_{info.Name}"]);
        }
        for (int k = 0; k < zSize; k++) header.Add($"z{k}");
        w.Write(string.Join(",", header.Select(Field)) + "\n");
    }

    public void WriteCsv(TextWriter w)
    {
        WriteCsvHeader(w, Scores, Calibrated, ZSize);
        WriteCsvRows(w);
    }

    public IReadOnlyCollection<string> Calibrated => Decisions?.Select(d => d.Name).ToArray() ?? [];

    public void WriteCsvRows(TextWriter w)
    {
        for (int i = 0; i < Count; i++)
        {
            var cells = new List<string> { Indices[i].ToString(CultureInfo.InvariantCulture), Field(Paths[i]) };
            foreach (var info in Scores)
            {
                cells.Add(Number(Values[info.Name][i]));
                if (DecisionOf(info.Name) is { } d) cells.AddRange([Number(d.P[i]), d.Novel[i] ? "novel" : "normal"]);
            }
            for (int k = 0; k < ZSize; k++) cells.Add(Number(Z![i * ZSize + k]));
            w.Write(string.Join(",", cells) + "\n");
        }
    }

    public void WriteJsonLines(TextWriter w)
    {
        using var ms = new MemoryStream();
        for (int i = 0; i < Count; i++)
        {
            ms.SetLength(0);
            using (var j = new Utf8JsonWriter(ms)) WriteSample(j, i);
            w.Write(Encoding.UTF8.GetString(ms.GetBuffer(), 0, (int)ms.Length) + "\n");
        }
    }

    /// <summary>Image <paramref name="i"/> as one JSON object: index, name, path, a member per score, with
    /// calibration pValues and decisions objects keyed by score, with --with-z the code z.</summary>
    public void WriteSample(Utf8JsonWriter w, int i)
    {
        w.WriteStartObject();
        w.WriteNumber("index", Indices[i]);
        w.WriteString("name", Names[i]);
        w.WriteString("path", Paths[i]);
        foreach (var info in Scores) w.Number(info.Name, Values[info.Name][i]);
        if (Decisions is not null)
        {
            w.WriteStartObject("pValues");
            foreach (var (name, pv, _) in Decisions) w.Number(name, pv[i]);
            w.WriteEndObject();
            w.WriteStartObject("decisions");
            foreach (var (name, _, novel) in Decisions) w.WriteString(name, novel[i] ? "novel" : "normal");
            w.WriteEndObject();
        }
        if (Z is not null)
        {
            w.WriteStartArray("z");
            for (int k = 0; k < ZSize; k++)
            {
                float v = Z[i * ZSize + k];
                if (float.IsFinite(v)) w.WriteNumberValue(v);
                else w.WriteNullValue();
            }
            w.WriteEndArray();
        }
        w.WriteEndObject();
    }

    /// <summary>The text table's header.</summary>
    public static List<string> TextHeader(IReadOnlyList<ScoreInfo> scores, IReadOnlyCollection<string> calibrated, int zSize)
    {
        var header = new List<string> { "#", "image" };
        foreach (var info in scores)
        {
            header.Add(info.Name);
            if (calibrated.Contains(info.Name)) header.AddRange([$"p {info.Name}", $"{info.Name} decision"]);
        }
        for (int k = 0; k < zSize; k++) header.Add($"z{k}");
        return header;
    }

    public IEnumerable<IReadOnlyList<string>> TextRows() => Enumerable.Range(0, Count).Select(i =>
    {
        var cells = new List<string> { Indices[i].ToString(CultureInfo.InvariantCulture), Names[i] };
        foreach (var info in Scores)
        {
            cells.Add(Values[info.Name][i].ToString("G6", CultureInfo.InvariantCulture));
            if (DecisionOf(info.Name) is { } d) cells.AddRange([d.P[i].ToString("G4", CultureInfo.InvariantCulture), d.Novel[i] ? "novel" : "normal"]);
        }
        for (int k = 0; k < ZSize; k++) cells.Add(Z![i * ZSize + k].ToString("G4", CultureInfo.InvariantCulture));
        return (IReadOnlyList<string>)cells;
    });

    /// <summary>The shortest text that reads back to the same double ("R", as Utf8JsonWriter); empty when not finite.</summary>
    private static string Number(double v) => double.IsFinite(v) ? v.ToString("R", CultureInfo.InvariantCulture) : "";

    /// <summary>A code value as the shortest text that reads back to the same float (as Utf8JsonWriter writes it).</summary>
    private static string Number(float v) => float.IsFinite(v) ? v.ToString("R", CultureInfo.InvariantCulture) : "";

    private static string Field(string s) =>
        s.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : s;
}

// What `latent score` computed, and its four forms: the aligned text table (the default on a terminal or a pipe), CSV
// (RFC 4180: a header row, fields with commas, quotes or line breaks quoted), JSON Lines (one object per image) and
// the samples of the --json document. Every form carries each image's path, every score, and with calibration the
// p-value and decision per calibrated score. CSV and JSON Lines write numbers in the shortest form that reads back
// to the same double (as the --json document does), so the three parse to identical values; a non-finite score is an
// empty CSV cell and a JSON null.
using System.Globalization;
using System.Text;
using System.Text.Json;
using Latent.Cli.Output;
using Latent.Models;

namespace Latent.Cli;

internal sealed record ScoreTable(
    IReadOnlyList<string> Names,
    IReadOnlyList<string> Paths,
    IReadOnlyList<ScoreInfo> Scores,
    IReadOnlyDictionary<string, double[]> Values,
    IReadOnlyList<(string Name, double[] P, bool[] Novel)>? Decisions)
{
    public int Count => Names.Count;

    /// <summary>The calibrated score's p-values and decisions, or null.</summary>
    public (string Name, double[] P, bool[] Novel)? DecisionOf(string score) =>
        Decisions?.FirstOrDefault(d => d.Name == score) is { Name: not null } d ? d : null;

    public void WriteCsv(TextWriter w)
    {
        var header = new List<string> { "index", "path" };
        foreach (var info in Scores)
        {
            header.Add(info.Name);
            if (DecisionOf(info.Name) is not null) header.AddRange([$"p_{info.Name}", $"decision_{info.Name}"]);
        }
        w.Write(string.Join(",", header.Select(Field)) + "\n");
        for (int i = 0; i < Count; i++)
        {
            var cells = new List<string> { i.ToString(CultureInfo.InvariantCulture), Field(Paths[i]) };
            foreach (var info in Scores)
            {
                cells.Add(Number(Values[info.Name][i]));
                if (DecisionOf(info.Name) is { } d) cells.AddRange([Number(d.P[i]), d.Novel[i] ? "novel" : "normal"]);
            }
            w.Write(string.Join(",", cells) + "\n");
        }
    }

    public void WriteJsonLines(TextWriter w)
    {
        for (int i = 0; i < Count; i++)
        {
            using var ms = new MemoryStream();
            using (var j = new Utf8JsonWriter(ms)) WriteSample(j, i);
            w.Write(Encoding.UTF8.GetString(ms.ToArray()) + "\n");
        }
    }

    /// <summary>Image <paramref name="i"/> as one JSON object: index, name, path, a member per score, and with
    /// calibration pValues and decisions objects keyed by score.</summary>
    public void WriteSample(Utf8JsonWriter w, int i)
    {
        w.WriteStartObject();
        w.WriteNumber("index", i);
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
        w.WriteEndObject();
    }

    public (IReadOnlyList<string> Header, IEnumerable<IReadOnlyList<string>> Rows) Text()
    {
        var header = new List<string> { "#", "image" };
        foreach (var info in Scores)
        {
            header.Add(info.Name);
            if (DecisionOf(info.Name) is not null) header.AddRange([$"p {info.Name}", $"{info.Name} decision"]);
        }
        return (header, Enumerable.Range(0, Count).Select(i =>
        {
            var cells = new List<string> { i.ToString(CultureInfo.InvariantCulture), Names[i] };
            foreach (var info in Scores)
            {
                cells.Add(Values[info.Name][i].ToString("G6", CultureInfo.InvariantCulture));
                if (DecisionOf(info.Name) is { } d) cells.AddRange([d.P[i].ToString("G4", CultureInfo.InvariantCulture), d.Novel[i] ? "novel" : "normal"]);
            }
            return (IReadOnlyList<string>)cells;
        }));
    }

    /// <summary>The shortest text that reads back to the same double ("R", as Utf8JsonWriter); empty when not finite.</summary>
    private static string Number(double v) => double.IsFinite(v) ? v.ToString("R", CultureInfo.InvariantCulture) : "";

    private static string Field(string s) =>
        s.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : s;
}

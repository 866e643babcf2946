// What `latent explain` prints: per image a block (score and terms with the class's typical values, p-value and
// decision, residual peak and region, nearest training images, furthest latent dimensions, summary, picture), or for
// more than one image a table of the summaries; with --json one document holding all of it.
using System.Globalization;
using Latent.Cli.Output;
using Latent.Models;
using Latent.Models.Explanations;

namespace Latent.Cli;

internal static class ExplainOutput
{
    /// <summary>Up to this many images get a detailed block each; more get a table.</summary>
    public const int MaxBlocks = 3;

    public static void Text(TextWriter stdout, Terminal term, LoadedModel loaded, Explainer explainer, IReadOnlyList<Explanation> explained,
        string[] names, string[]? pictures)
    {
        string head = $"{loaded.Entry.Name} ({(loaded.Model.Latent is int z ? $"latent {z}, " : "")}epoch {loaded.Epoch}), score {explainer.Score}" +
            (explainer.HasPValues ? $", novel iff p <= {F(explainer.Alpha)}" : ", no calibration scores (no p-values)") +
            (explainer.ReferenceCount > 0 ? $", {explainer.ReferenceCount} reference images" : ", no --reference (no neighbours, no typical values)");
        if (explained.Count > MaxBlocks)
        {
            term.Table(head, ["#", "image", explainer.Score, "p", "summary"], explained.Select((e, i) => (IReadOnlyList<string>)
                [i.ToString(CultureInfo.InvariantCulture), names[i], G(e.Value), e.PValue is double p ? ExplanationSummary.P(p) : "-", e.Summary]));
            if (pictures is not null) stdout.WriteLine($"pictures: {Path.GetDirectoryName(pictures[0])}{Path.DirectorySeparatorChar}explain-000.png ...");
            return;
        }
        stdout.WriteLine(head);
        for (int i = 0; i < explained.Count; i++)
        {
            var e = explained[i];
            stdout.WriteLine();
            stdout.WriteLine($"#{i} {names[i]}: {e.Score} {G(e.Value)}{Typical(e.Typical)}" +
                (e.PValue is double p ? $", p = {ExplanationSummary.P(p)}: {(e.Novel == true ? "novel" : "normal")}" : ""));
            if (e.Terms.Count > 1) stdout.WriteLine($"  terms: {string.Join(", ", e.Terms.Select(t => $"{t.Name} {G(t.Value)}{Typical(t.Typical)}"))}");
            if (e.Residual is { } r)
                stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  residual |x - x^|: total {r.Total:0.##}, peak at row {r.PeakRow}, column {r.PeakColumn}; {100 * r.RegionShare:0} % in the {r.Region} ({r.Where})"));
            if (e.Neighbours.Count > 0)
                stdout.WriteLine($"  nearest training images (latent distance): {string.Join(", ", e.Neighbours.Select(n => $"#{n.Index} {G(n.Distance)}"))}");
            if (e.Deviations.Count > 0)
                stdout.WriteLine($"  furthest latent dimensions: {string.Join(", ", e.Deviations.Select(d => string.Create(CultureInfo.InvariantCulture, $"z{d.Dimension} {d.Z:+0.0;-0.0} sd (code {d.Code:0.###}, class {d.Mean:0.###} +- {d.Sd:0.###})")))}");
            stdout.WriteLine($"  summary: {e.Summary}");
            if (pictures is not null) stdout.WriteLine($"  picture: {pictures[i]}");
        }
    }

    public static void Json(TextWriter stdout, LoadedModel loaded, string path, Explainer explainer, IReadOnlyList<Explanation> explained,
        string[] names, string[]? pictures) => JsonOut.Write(stdout, w =>
    {
        w.WriteStartObject();
        w.WriteString("command", "explain");
        w.WriteString("modelFile", Path.GetFullPath(path));
        w.WriteString("model", loaded.Entry.Name);
        if (loaded.Model.Latent is int z) w.WriteNumber("latent", z);
        w.WriteNumber("epoch", loaded.Epoch);
        w.WriteString("score", explainer.Score);
        if (explainer.HasPValues) w.Number("alpha", explainer.Alpha);
        w.WriteNumber("referenceImages", explainer.ReferenceCount);
        w.WriteStartArray("samples");
        for (int i = 0; i < explained.Count; i++)
        {
            var e = explained[i];
            w.WriteStartObject();
            w.WriteNumber("index", i);
            w.WriteString("name", names[i]);
            w.Number("value", e.Value);
            if (double.IsFinite(e.Typical)) w.Number("typical", e.Typical);
            if (e.PValue is double p)
            {
                w.Number("pValue", p);
                w.WriteString("decision", e.Novel == true ? "novel" : "normal");
            }
            w.WriteStartArray("terms");
            foreach (var t in e.Terms)
            {
                w.WriteStartObject();
                w.WriteString("name", t.Name);
                w.Number("value", t.Value);
                if (double.IsFinite(t.Typical)) w.Number("typical", t.Typical);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            if (e.LeadingTerm is string lead)
            {
                w.WriteString("leadingTerm", lead);
                w.Number("leadingShare", e.LeadingShare);
            }
            if (e.Residual is { } r)
            {
                w.WriteStartObject("residual");
                w.Number("total", r.Total);
                w.WriteNumber("peakRow", r.PeakRow);
                w.WriteNumber("peakColumn", r.PeakColumn);
                w.WriteString("region", r.Region);
                w.Number("regionShare", r.RegionShare);
                w.WriteBoolean("concentrated", r.Concentrated);
                w.WriteEndObject();
            }
            w.WriteStartArray("neighbours");
            foreach (var n in e.Neighbours)
            {
                w.WriteStartObject();
                w.WriteNumber("index", n.Index);
                w.Number("distance", n.Distance);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("dimensions");
            foreach (var d in e.Deviations)
            {
                w.WriteStartObject();
                w.WriteNumber("dimension", d.Dimension);
                w.Number("code", d.Code);
                w.Number("mean", d.Mean);
                w.Number("sd", d.Sd);
                w.Number("z", d.Z);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteString("summary", e.Summary);
            if (pictures is not null) w.WriteString("picture", pictures[i]);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    });

    private static string Typical(double t) => double.IsFinite(t) ? $" (typical {G(t)})" : "";

    private static string G(double v) => v.ToString("G4", CultureInfo.InvariantCulture);

    private static string F(double v) => v.ToString(CultureInfo.InvariantCulture);
}

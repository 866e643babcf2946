// Writes the rows of `latent score` batch by batch in one of the three row forms: csv (the header with the first rows,
// then the rows),
// jsonl (one object per image), table (aligned text). The table's column widths come from the header and the first
// batch; when the whole input is one batch the table is written as before (a Spectre table on a terminal), otherwise
// the first batch is written when the second arrives and later rows keep those widths (a wider cell just pushes the
// rest of its line), so nothing but one batch is ever held.
using Latent.Cli.Output;
using Latent.Models;

namespace Latent.Cli.Scoring;

internal sealed class RowWriter(string form, TextWriter w, Terminal term, string title, IReadOnlyList<ScoreInfo> scores, IReadOnlyCollection<string> calibrated, int zSize)
{
    private List<IReadOnlyList<string>>? pending = [];        // the table's first batch, until the second
    private int[]? widths;

    /// <summary>Rows written so far.</summary>
    public long Rows { get; private set; }

    private bool begun;

    /// <summary>The CSV header, before the first rows (or at the end when there are none), so that a run that ends in
    /// an error before any row is scored has printed nothing.</summary>
    private void Begin()
    {
        if (begun) return;
        begun = true;
        if (form == "csv") ScoreTable.WriteCsvHeader(w, scores, calibrated, zSize);
    }

    public void Write(ScoreTable t)
    {
        Begin();
        Rows += t.Count;
        switch (form)
        {
            case "csv": t.WriteCsvRows(w); break;
            case "jsonl": t.WriteJsonLines(w); break;
            default:
                if (pending is not null && pending.Count == 0) { pending.AddRange(t.TextRows()); return; }
                Flush();
                foreach (var row in t.TextRows()) Line(row);
                break;
        }
    }

    public void End()
    {
        Begin();
        if (form != "table") return;
        if (pending is not null) term.Table(title, ScoreTable.TextHeader(scores, calibrated, zSize), pending);
        pending = null;
    }

    /// <summary>The title, header and first batch, with widths fixed from them.</summary>
    private void Flush()
    {
        if (pending is null) return;
        var header = ScoreTable.TextHeader(scores, calibrated, zSize);
        widths = [.. header.Select(h => h.Length)];
        foreach (var r in pending)
            for (int i = 0; i < r.Count && i < widths.Length; i++) widths[i] = Math.Max(widths[i], r[i].Length);
        w.WriteLine(title);
        Line(header);
        foreach (var r in pending) Line(r);
        pending = null;
    }

    private void Line(IReadOnlyList<string> cells) => w.WriteLine(string.Join("  ", cells.Select((c, i) => c.PadLeft(widths![i]))));
}

// Where a command writes: human output (Spectre.Console tables on a real terminal, plain aligned
// text otherwise) or, with --json, exactly one JSON document on stdout and nothing else.
// Progress and notes go to stderr so stdout stays machine-readable.
using Spectre.Console;

namespace Latent.Cli.Output;

public sealed class Terminal
{
    public Terminal(TextWriter stdout, TextWriter stderr, bool json, bool interactive)
    {
        Out = stdout;
        Err = stderr;
        Json = json;
        Interactive = interactive && !json;
    }

    public TextWriter Out { get; }
    public TextWriter Err { get; }
    public bool Json { get; }

    /// <summary>True when writing to a terminal a person reads (Spectre tables).</summary>
    public bool Interactive { get; }

    /// <summary>A line for the person running the command (stderr; silent with --json).</summary>
    public void Note(string line)
    {
        if (!Json) Err.WriteLine(line);
    }

    /// <summary>Writes a table: Spectre on a terminal, aligned plain text otherwise. Never in JSON mode.</summary>
    public void Table(string? title, IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(rows);
        if (Json) return;
        var all = rows.ToList();
        if (Interactive)
        {
            var t = new Table().Border(TableBorder.Rounded);
            if (title is not null) t.Title(Markup.Escape(title));
            foreach (string h in header) t.AddColumn(new TableColumn(Markup.Escape(h)).RightAligned());
            foreach (var r in all) t.AddRow(r.Select(Markup.Escape).ToArray());
            AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Out) }).Write(t);
            return;
        }
        if (title is not null) Out.WriteLine(title);
        var width = header.Select(h => h.Length).ToArray();
        foreach (var r in all)
            for (int i = 0; i < r.Count && i < width.Length; i++) width[i] = Math.Max(width[i], r[i].Length);
        Out.WriteLine(string.Join("  ", header.Select((h, i) => h.PadLeft(width[i]))));
        foreach (var r in all) Out.WriteLine(string.Join("  ", r.Select((c, i) => c.PadLeft(width[i]))));
    }
}

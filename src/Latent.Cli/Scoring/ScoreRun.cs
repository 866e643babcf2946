// One `latent score` run once its options are checked (ScoreCommand): opens the input, scores this shard's batches
// through ScorePipeline (twice with --fdr: first for BH's cut-offs), writes each batch's rows as it comes (RowWriter, or
// the --json document), reports skipped images, and ends with a summary: to stdout after --output ("wrote N rows ..."),
// else on stderr, with the images per second of the run.
using System.Globalization;
using System.Text.Json;
using Latent.Cli.Output;
using Latent.Data;
using Latent.IO;
using Latent.Models;
using Latent.Models.Invariance;

namespace Latent.Cli.Scoring;

internal sealed class ScoreRun
{
    public required Terminal Term { get; init; }
    public required string ModelPath { get; init; }
    public required string Input { get; init; }
    public required bool Resize { get; init; }
    public required int Batch { get; init; }
    public required Shard Shard { get; init; }
    public required bool Strict { get; init; }
    public required DataCache Cache { get; init; }
    public LoadedModel Loaded { get; set; } = null!;
    public ImageShape Shape { get; set; }
    /// <summary>--resize-mode: how --resize brings an image of another aspect to the model's.</summary>
    public Latent.Data.Images.ResizeMode Mode { get; set; }
    /// <summary>--alpha, --delta, --fdr as given.</summary>
    public (double? Alpha, double? Delta, double? Fdr) Levels { get; set; }

    private ScoreRule? Rule { get; set; }
    public int ZSize { get; set; }
    public string Form { get; set; } = "table";

    private IClassModel Model => Loaded.Model;
    private readonly List<SkippedImage> skipped = [];
    private readonly Dictionary<string, (long Novel, long Normal)> counts = [];
    private long scored;

    /// <summary>The error a skipped image is under --strict (or when nothing could be scored): a usage error for a size
    /// the model does not take without --resize (exit 2), a data error otherwise (exit 1).</summary>
    public static Exception Error(SkippedImage s) =>
        s.Usage ? new CliException($"--input: {s.Reason}") : new InvalidDataException(s.Reason);

    public int Execute(string? outPath)
    {
        var input = ScoreInput.Open(Input, Shape, Resize, Cache, Term, Mode, Strict, Loaded.Features, ModelPath);      // the input's errors first, as always
        try
        {
            Rule = ScoreRule.For(Loaded, ModelPath, Model.Scores, Levels.Alpha, Levels.Delta, Levels.Fdr);
            if (Rule?.Fdr is not null && Shard.Count > 1)
                throw new CliException($"--fdr ranks the p-values of every image scored, and shard {Shard} sees only its share; score the input in one run, or decide each image alone with --alpha.");
            if (Rule is { NeedsCutOffs: true })
            {
                CutOffs(input);
                input.Dispose();
                input = ScoreInput.Open(Input, Shape, Resize, Cache, Term, Mode, Strict, Loaded.Features, ModelPath);       // the second pass reads it again
            }
            return Execute(input, outPath);
        }
        finally
        {
            input.Dispose();
        }
    }

    private int Execute(ScoreInput input, string? outPath)
    {
        var (first, end) = Shard.Range(input.Count, Batch);
        string share = Shard.Count == 1 ? "" : $" (shard {Shard}: images {first} to {end - 1} of {input.Count})";
        string title = $"{Loaded.Entry.Name} ({(Model.Latent is int z ? $"latent {z}, " : "")}epoch {Loaded.Epoch}): {end - first} images{share}, higher = more novel" +
            (Rule is null ? "" : $"; p = conformal p-value, {Rule.Describe()}");
        IReadOnlyCollection<string> calibrated = Rule?.Names ?? [];
        ScoreProgress progress = null!;
        if (outPath is null)
        {
            using var json = Term.Json ? new JsonDocumentOut(Term.Out, this, outPath: null) : null;
            var rows = Term.Json ? null : new RowWriter(Form, Term.Out, Term, title, Model.Scores, calibrated, ZSize);
            progress = new ScoreProgress(Term, end - first, "scored", bar: null);
            ScorePipeline.Run(input, first, end, Batch, b => Consume(b, progress, t => { rows?.Write(t); json?.Rows(t); }));
            Finish(input);
            rows?.End();
            json?.End(skipped, scored);
            if (!Term.Json)
                Term.Note(string.Create(CultureInfo.InvariantCulture, $"scored {scored} images{Skips()} in {progress.Elapsed.TotalSeconds:F1} s, {progress.Rate:F0} images/s{Summary()}"));
            return 0;
        }
        string full = Path.GetFullPath(outPath);
        int Write(IProgress? bar)
        {
            progress = new ScoreProgress(Term, end - first, "scored", bar);
            AtomicFile.Write(full, stream =>
            {
                using var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(false), 1 << 16, leaveOpen: true);
                var rows = new RowWriter(Form, writer, new Terminal(writer, TextWriter.Null, json: false, interactive: false), title, Model.Scores, calibrated, ZSize);
                ScorePipeline.Run(input, first, end, Batch, b => Consume(b, progress, rows.Write));
                Finish(input);
                rows.End();
            });
            return 0;
        }
        long batches = (end - first + Batch - 1) / Batch;
        if (Term.Interactive) Term.WithProgress($"scoring {end - first} images", (int)Math.Min(int.MaxValue, batches), Write);
        else Write(null);
        if (Term.Json)
        {
            using var doc = new JsonDocumentOut(Term.Out, this, full);
            doc.End(skipped, scored);
            return 0;
        }
        Term.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"wrote {scored} rows ({Form}) to {full}{Summary()}{Skips("; ")}; {progress.Elapsed.TotalSeconds:F1} s, {progress.Rate:F0} images/s"));
        return 0;
    }

    /// <summary>--fdr: the first pass, keeping only each calibrated score's p-values, for BH's cut-offs.</summary>
    private void CutOffs(ScoreInput input)
    {
        var all = Rule!.Names.ToDictionary(n => n, _ => new List<double>());
        var progress = new ScoreProgress(Term, input.Count, "ranking p-values (pass 1 of 2):", bar: null);
        ScorePipeline.Run(input, 0, input.Count, Batch, b =>
        {
            progress.Batch(b);
            if (Strict && b.Skipped.Count > 0) throw Error(b.Skipped[0]);
            if (b.Count == 0) return;
            foreach (var (name, p) in Rule.PValues(Model.Score(b.X))) all[name].AddRange(p);
        });
        Rule.SetCutOffs(all);
    }

    private void Consume(ImageBatch b, ScoreProgress progress, Action<ScoreTable> write)
    {
        foreach (var s in b.Skipped)
        {
            if (Strict) throw Error(s);
            skipped.Add(s);
            if (scored > 0) Note(s);    // until an image is scored they wait: if none is, the first reason is the one error line
        }
        if (b.Count > 0)
        {
            if (scored == 0) foreach (var s in skipped) Note(s);
            var values = Model.Score(b.X);
            var decisions = Rule?.Decide(values);
            foreach (var (name, _, novel) in decisions ?? [])
            {
                var (n, m) = counts.GetValueOrDefault(name);
                int k = novel.Count(v => v);
                counts[name] = (n + k, m + novel.Length - k);
            }
            float[]? z = ZSize > 0 ? InvariantModel.Reconstructor(Model)!.Encode(InvariantModel.Seen(Model, b.X)) : null;
            write(new ScoreTable(b.Indices, b.Names, b.Paths, Model.Scores, values, decisions) { Z = z, ZSize = ZSize });
            scored += b.Count;
        }
        progress.Batch(b);
    }

    private void Note(SkippedImage s) =>
        Term.Note(s.Reason.Contains(s.Path, StringComparison.Ordinal) ? $"latent: skipped: {s.Reason}" : $"latent: skipped {s.Path}: {s.Reason}");

    /// <summary>Nothing scored but something skipped: the first reason is the run's error.</summary>
    private void Finish(ScoreInput input)
    {
        if (scored == 0 && skipped.Count > 1)
        {
            var first = skipped[0];
            throw Error(first with { Reason = $"{first.Reason} (none of the {skipped.Count} images could be scored)" });
        }
        if (scored == 0 && skipped.Count == 1) throw Error(skipped[0]);
        if (input is FolderInput { LinkedFolders: > 0 } f)
            Term.Note($"latent: {f.LinkedFolders} symbolic link(s) to folders in {Input} were not followed; give their targets as --input to score them.");
    }

    private string Skips(string sep = ", ") => skipped.Count == 0 ? "" : $"{sep}{skipped.Count} skipped (unreadable, or another size; --strict stops at the first)";

    /// <summary>"; 3 novel, 17 normal by recon" per calibrated score.</summary>
    private string Summary() =>
        Rule is null ? "" : "; " + string.Join(", ", Rule.Names.Select(n => counts.GetValueOrDefault(n)).Zip(Rule.Names, (c, n) => $"{c.Novel} novel, {c.Normal} normal by {n}"));

    /// <summary>The --json document: the run's description, the samples as they come (none with --output, whose file
    /// holds them), the skipped images; held in memory and written at the end, so stdout is one whole document or nothing.</summary>
    private sealed class JsonDocumentOut : IDisposable
    {
        private readonly TextWriter stdout;
        private readonly MemoryStream buffer = new();
        private readonly Utf8JsonWriter w;

        public JsonDocumentOut(TextWriter stdout, ScoreRun run, string? outPath)
        {
            this.stdout = stdout;
            w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true });
            w.WriteStartObject();
            w.WriteString("command", "score");
            w.WriteString("modelFile", Path.GetFullPath(run.ModelPath));
            w.WriteString("model", run.Loaded.Entry.Name);
            if (run.Model.Latent is int k) w.WriteNumber("latent", k);
            w.WriteNumber("epoch", run.Loaded.Epoch);
            w.WriteStartArray("scores");
            foreach (var info in run.Model.Scores)
            {
                w.WriteStartObject();
                w.WriteString("name", info.Name);
                w.WriteString("formula", info.Formula);
                w.WriteString("units", info.Units);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            if (run.Rule is not null) w.WriteString("rule", run.Rule.Describe());
            if (run.Shard.Count > 1) w.WriteString("shard", run.Shard.ToString());
            if (outPath is not null) w.WriteString("output", outPath);
            else w.WriteStartArray("samples");
            Samples = outPath is null;
        }

        private bool Samples { get; }

        public void Rows(ScoreTable t)
        {
            for (int i = 0; i < t.Count; i++) t.WriteSample(w, i);
        }

        public void End(IReadOnlyList<SkippedImage> skipped, long scored)
        {
            if (Samples) w.WriteEndArray();
            w.WriteNumber("scored", scored);
            w.WriteStartArray("skipped");
            foreach (var s in skipped)
            {
                w.WriteStartObject();
                w.WriteNumber("index", s.Index);
                w.WriteString("path", s.Path);
                w.WriteString("reason", s.Reason);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
            w.Flush();
            stdout.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
        }

        public void Dispose()
        {
            w.Dispose();
            buffer.Dispose();
        }
    }
}

// `latent score`: per-sample novelty scores of a saved model of any registry kind (higher = more novel) for
// images given as an IDX images file, a folder of images (PNG, JPEG, BMP, GIF, TIFF, WebP; gray or colour, read with
// the model's channels; with --resize, images of another size are resized to the model's as --resize-mode says, as
// train --image-size does; unreadable files are skipped and named, or stop the run with --strict), folder:PATH (every
// image below a folder of class folders, named class/file), dataset:class (that class of the dataset's test split,
// e.g. mnist:5), or, for a model fitted on a table, csv:FILE (the model's columns taken by name and standardised as
// the model was). A text table, CSV or JSON Lines
// (--format, to stdout or --output FILE; ScoreTable), or one JSON document (--json).
// A model saved with calibration scores (`latent train --calibration 0.2`) also gets, per score, each image's
// conformal p-value and decision (novel / normal): novel iff p <= --alpha (default 0.05; false alarms at most alpha
// on average), or score above the calibration-conditional threshold with --delta, or rejected by Benjamini-Hochberg
// over the images scored together with --fdr Q (ConformalScores, BenjaminiHochberg).
using System.CommandLine;
using System.Globalization;
using Latent.Cli.Output;
using Latent.Data;
using Latent.Models;
using Latent.Models.Conformal;
using Latent.Data.Images;
using Latent.IO;

namespace Latent.Cli;

public static class ScoreCommand
{
    public static Command Build(TextWriter stdout, TextWriter stderr, bool interactive)
    {
        var file = new Option<string>("--model-file") { Description = "A model file written by `latent train`.", Required = true };
        var input = new Option<string>("--input") { Description = "An IDX images file, a folder of images, folder:PATH (a folder of class folders), dataset:class (test split), or csv:FILE for a model fitted on a table.", Required = true };
        var score = new Option<string?>("--score") { Description = "Comma list of scores (default: all of the model's)." };
        var alpha = new Option<double?>("--alpha") { Description = "Models saved with calibration: flag an image novel when its conformal p-value is at most alpha (default 0.05)." };
        var delta = new Option<double?>("--delta") { Description = "With calibration: use the threshold whose false-alarm rate is at most alpha with probability 1 - delta." };
        var fdr = new Option<double?>("--fdr") { Description = "With calibration: flag images by Benjamini-Hochberg over this batch, false discovery rate at most Q." };
        var format = new Option<string?>("--format") { Description = "table, csv or jsonl (one JSON object per line); default table, or from the --output file's extension (.csv, .jsonl)." };
        var output = new Option<string?>("--output") { Description = "Write the rows to this file (in --format) instead of stdout; a summary line goes to stdout." };
        var resize = new Option<bool>("--resize") { Description = "A flag: resize images of another size to the model's (area averaging, as train --image-size) instead of refusing them." };
        var resizeMode = ImageData.ResizeModeOption();
        var strict = ImageData.StrictOption();
        var cmd = new Command("score", "Score images with a trained model: one row per image, one column per score.") { file, input, score, alpha, delta, fdr, format, output, resize, resizeMode, strict };
        cmd.SetAction(p =>
        {
            var term = new Terminal(stdout, stderr, p.GetValue(LatentCommand.Json), interactive);
            string path = p.GetValue(file)!;
            string[]? only = p.GetValue(score)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var loaded = ModelFileArgument.Load(path, only);
            var scorer = loaded.Model;
            int epoch = loaded.Epoch;
            var shape = loaded.Options.InputShape
                ?? throw new CliException($"--model-file {path}: the model does not say the size of the images it takes; refit it with `latent train`.");
            string? outPath = p.GetValue(output);
            string form = Format(p.GetValue(format), outPath, term.Json);
            if (outPath is not null) OutputPreflight.EnsureWritableFile(Path.GetFullPath(outPath), $"--output {outPath}");
            if (p.GetValue(resizeMode) is string rm && !p.GetValue(resize)) throw new CliException($"--resize-mode {rm} says how --resize resizes; add --resize.");
            var reading = new ImageReading(null, ImageData.ParseMode(p.GetValue(resizeMode)), shape.Channels, p.GetValue(strict));
            var (x, names, paths) = loaded.Features is { } features || CsvData.PathOf(p.GetValue(input)!) is not null
                ? LoadTable(p.GetValue(input)!, loaded.Features, path)
                : LoadInput(p.GetValue(input)!, shape, p.GetValue(resize), new DataCache(p.GetValue(LatentCommand.DataDir)), term, reading);
            var s = scorer.Score(x);
            var decisions = Decide(loaded, path, s, scorer.Scores, p.GetValue(alpha), p.GetValue(delta), p.GetValue(fdr));
            var table = new ScoreTable(names, paths, scorer.Scores, s, decisions);
            string rule = Rule(p.GetValue(alpha), p.GetValue(delta), p.GetValue(fdr));
            if (term.Json)
                JsonOut.Write(stdout, w =>
                {
                    w.WriteStartObject();
                    w.WriteString("command", "score");
                    w.WriteString("modelFile", Path.GetFullPath(path));
                    w.WriteString("model", loaded.Entry.Name);
                    if (scorer.Latent is int k) w.WriteNumber("latent", k);
                    w.WriteNumber("epoch", epoch);
                    w.WriteStartArray("scores");
                    foreach (var info in scorer.Scores)
                    {
                        w.WriteStartObject();
                        w.WriteString("name", info.Name);
                        w.WriteString("formula", info.Formula);
                        w.WriteString("units", info.Units);
                        w.WriteEndObject();
                    }
                    w.WriteEndArray();
                    if (decisions is not null) w.WriteString("rule", rule);
                    if (outPath is not null) w.WriteString("output", Path.GetFullPath(outPath));
                    w.WriteStartArray("samples");
                    for (int i = 0; i < x.Count; i++) table.WriteSample(w, i);
                    w.WriteEndArray();
                    w.WriteEndObject();
                });
            string title = $"{loaded.Entry.Name} ({(scorer.Latent is int z ? $"latent {z}, " : "")}epoch {epoch}): {x.Count} images, higher = more novel" +
                (decisions is null ? "" : $"; p = conformal p-value, {rule}");
            if (outPath is not null)
            {
                AtomicFile.Write(Path.GetFullPath(outPath), stream =>
                {
                    using var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(false), leaveOpen: true);
                    Write(table, form, writer, title);
                });
                if (!term.Json) stdout.WriteLine($"wrote {x.Count} rows ({form}) to {Path.GetFullPath(outPath)}{Summary(table)}");
            }
            else if (!term.Json)
            {
                if (form == "table")
                {
                    var (header, rows) = table.Text();
                    term.Table(title, header, rows);
                }
                else Write(table, form, stdout, title);
            }
            return 0;
        });
        return cmd;
    }

    /// <summary>Per calibrated score: each image's conformal p-value and decision; null when the model has no calibration
    /// and none was asked for. Asking (--alpha, --delta, --fdr) a model without calibration is an error saying how to add it.</summary>
    private static List<(string Name, double[] P, bool[] Novel)>? Decide(LoadedModel loaded, string path, IReadOnlyDictionary<string, double[]> s,
        IReadOnlyList<ScoreInfo> scores, double? alpha, double? delta, double? fdr)
    {
        bool asked = alpha is not null || delta is not null || fdr is not null;
        if (loaded.Calibration is not { } cal)
        {
            if (!asked) return null;
            throw new CliException($"--model-file {path} has no calibration scores, so it cannot give p-values (--alpha, --delta, --fdr); " +
                $"retrain it holding out calibration images: latent train --model {loaded.Entry.Name} ... --calibration {CalibrationSplit.DefaultFraction.ToString(CultureInfo.InvariantCulture)}.");
        }
        if (fdr is not null && delta is not null) throw new CliException("--fdr and --delta are different rules (a batch's false discovery rate, one image's false-alarm rate); give one.");
        if (fdr is not null && alpha is not null) throw new CliException("--fdr and --alpha are different rules (a batch's false discovery rate, one image's false-alarm rate); give one.");
        double a = alpha ?? DefaultAlpha;
        ConformalScores.CheckLevel("--alpha", a);
        var result = new List<(string, double[], bool[])>();
        foreach (var info in scores)
        {
            if (!cal.Has(info.Name)) continue;
            var c = cal[info.Name];
            var v = s[info.Name];
            var pv = v.Select(c.PValue).ToArray();
            bool[] novel;
            if (fdr is double q) novel = BenjaminiHochberg.Reject(pv, q);
            else if (delta is double d) { double t = c.ConditionalThreshold(a, d); novel = v.Select(x => x > t).ToArray(); }
            else { double t = c.Threshold(a); novel = v.Select(x => x > t).ToArray(); }
            result.Add((info.Name, pv, novel));
        }
        return result;
    }

    /// <summary>--alpha when the model has calibration and none is given.</summary>
    public const double DefaultAlpha = 0.05;

    private static string Rule(double? alpha, double? delta, double? fdr)
    {
        string a = (alpha ?? DefaultAlpha).ToString(CultureInfo.InvariantCulture);
        return fdr is double q ? $"novel = Benjamini-Hochberg over these images at FDR {q.ToString(CultureInfo.InvariantCulture)}"
            : delta is double d ? $"novel = score above the threshold with false-alarm rate <= {a} with probability {(1 - d).ToString(CultureInfo.InvariantCulture)}"
            : $"novel = p <= {a}";
    }

    /// <summary>--format, or the --output file's extension (.csv, .jsonl), else the table.</summary>
    private static string Format(string? format, string? output, bool json)
    {
        if (format is not null)
        {
            string f = format.ToLowerInvariant();
            if (f is not ("table" or "csv" or "jsonl"))
                throw new CliException($"--format {format}: unknown format{DidYouMean.Suggest(f, ["table", "csv", "jsonl"])}; use table, csv or jsonl.");
            if (json && output is null) throw new CliException($"--format {format} and --json both say what stdout holds; give one (or add --output FILE for the rows).");
            return f;
        }
        string ext = output is null ? "" : Path.GetExtension(output).ToLowerInvariant();
        return ext switch { ".csv" => "csv", ".jsonl" => "jsonl", _ => "table" };
    }

    private static void Write(ScoreTable table, string form, TextWriter w, string title)
    {
        switch (form)
        {
            case "csv": table.WriteCsv(w); break;
            case "jsonl": table.WriteJsonLines(w); break;
            default:
                var (header, rows) = table.Text();
                new Terminal(w, TextWriter.Null, json: false, interactive: false).Table(title, header, rows);
                break;
        }
    }

    /// <summary>"; 3 novel, 17 normal by recon" per calibrated score, for the summary line.</summary>
    private static string Summary(ScoreTable table) =>
        table.Decisions is null ? "" : "; " + string.Join(", ", table.Decisions.Select(d => $"{d.Novel.Count(n => n)} novel, {d.Novel.Count(n => !n)} normal by {d.Name}"));

    /// <summary>The rows of csv:FILE for a model fitted on a table: the model's columns by name (others, such as the
    /// label, ignored), standardised as the model was; named "row N" (data rows from 1) with the file's line.</summary>
    private static (Samples X, string[] Names, string[] Paths) LoadTable(string input, FeatureScaling? features, string modelPath)
    {
        string? csv = CsvData.PathOf(input);
        if (features is null)
            throw new CliException($"--input {input} is a table, but --model-file {modelPath} was fitted on images; fit a model on the table first: latent train --dataset {input} --label-column NAME --class CLASS ...");
        if (csv is null)
            throw new CliException($"--model-file {modelPath} was fitted on a table (columns {string.Join(", ", features.Columns.Take(4))}{(features.Columns.Count > 4 ? ", ..." : "")}); give the rows to score as --input csv:FILE.");
        var t = Latent.Data.Tabular.TabularSet.Load(csv, null, features.Columns);
        var x = features.Apply(CsvData.ToSamples(t));
        string full = Path.GetFullPath(csv);
        string[] names = [.. Enumerable.Range(0, t.Count).Select(i => $"row {i + 1}")];
        return (x, names, [.. Enumerable.Range(0, t.Count).Select(i => $"{full}:{t.Lines[i]}")]);
    }

    /// <summary>The images named by --input as (N, C, H, W) levels in [0, 1] of the model's shape, with a name and a
    /// path per image (the full path of a file of a folder; file[i] or dataset:class[i] otherwise).</summary>
    internal static (Samples X, string[] Names, string[] Paths) LoadInput(string input, ImageShape shape, bool resize, DataCache cache, Terminal term, ImageReading? reading = null)
    {
        int height = shape.Height, width = shape.Width;
        reading ??= ImageReading.Default;
        if (ClassFolders.PathOf(input) is string root)
        {
            try
            {
                var (tx, tnames, tpaths) = ClassFolders.LoadAll(root, new ImageFolderOptions { Size = (height, width), Resize = resize, Mode = reading.Mode, Channels = shape.Channels, SkipUnreadable = !reading.Strict }, term);
                return (new Samples(tx.X, tx.Count, shape), tnames, tpaths);
            }
            catch (ImageSizeException e)
            {
                throw new CliException($"--input: {e.Path} is {e.Width}x{e.Height}; the model takes {width}x{height} images (add --resize to resize them).");
            }
        }
        if (Directory.Exists(input))
        {
            if (DatasetInfo.HasIdxFiles(input))
                throw new CliException($"--input {input} is a folder of IDX files; give one images file (e.g. --input {Path.Combine(input, "t10k-images-idx3-ubyte")}), dataset:class, or a folder of PNG images.");
            try
            {
                var set = ImageFolder.Load(input, new ImageFolderOptions { Size = (height, width), Resize = resize, Mode = reading.Mode, Channels = shape.Channels, SkipUnreadable = !reading.Strict }); // regular files only; sizes checked from the headers first
                ImageData.ReportSkipped(term, set.Skipped, $"--input {input}");
                string[] files = [.. set.Files.Select(Path.GetFullPath)];
                return (new Samples(set.Pixels, set.Count, shape), [.. set.Names], files);
            }
            catch (ImageSizeException e)
            {
                throw new CliException($"--input: {e.Path} is {e.Width}x{e.Height}; the model takes {width}x{height} images (add --resize to resize them).");
            }
        }
        if (shape.Channels != 1)
            throw new CliException($"--input {input}: the model takes {shape} colour images; IDX files and datasets are gray: give a folder of PNG images.");
        if (File.Exists(input))
        {
            if (input.EndsWith(".png", StringComparison.OrdinalIgnoreCase))
                throw new CliException($"--input {input} is one PNG image; give the folder that holds it (every PNG in it is scored): --input {Path.GetDirectoryName(Path.GetFullPath(input))}.");
            if (ImageFormats.IsRead(input))
                throw new CliException($"--input {input} is one image; give the folder that holds it (every image in it is scored): --input {Path.GetDirectoryName(Path.GetFullPath(input))}.");
            if (input.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
                throw new CliException($"--input {input} is a CSV table, and the model was fitted on images; a model fitted on a table (train --dataset csv:FILE) scores --input csv:FILE.");
            var (dims, data) = Idx.Read(input);
            if (dims.Length != 3) throw new CliException($"--input {input}: an IDX images file has 3 dimensions (N, H, W), this one has {dims.Length}.");
            var pixels = new float[data.Length];
            for (int i = 0; i < data.Length; i++) pixels[i] = data[i] / 255f;
            var idx = new Samples(pixels, dims[0], ImageShape.Gray(dims[1], dims[2]));
            if (dims[1] != height || dims[2] != width)
            {
                if (!resize) throw new CliException($"--input {input} holds {dims[2]}x{dims[1]} images; the model takes {width}x{height} (add --resize to resize them).");
                idx = ImageData.Resize(idx, (height, width));
            }
            string[] named = [.. Enumerable.Range(0, dims[0]).Select(i => $"{Path.GetFileName(input)}[{i}]")];
            return (idx, named, [.. Enumerable.Range(0, dims[0]).Select(i => $"{Path.GetFullPath(input)}[{i}]")]);
        }
        int colon = input.LastIndexOf(':');
        if (colon <= 0) throw new CliException($"--input {input}: not a file, a folder, or dataset:class (e.g. mnist:5).");
        var d = DatasetInfo.Resolve(input[..colon]);
        int c = d.ParseClass(input[(colon + 1)..]);
        var test = Datasets.Load(d, Split.Test, cache, fetch: true, log: term.Json ? null : term.Err).OfClass(c);
        var samples = ClassModelCommand.ToSamples(test);
        if (test.Height != height || test.Width != width)
        {
            if (!resize) throw new CliException($"--input {input}: {d.Name} has {test.Width}x{test.Height} images; the model takes {width}x{height} (add --resize to resize them).");
            samples = ImageData.Resize(samples, (height, width));
        }
        string[] names = [.. Enumerable.Range(0, test.Count).Select(i => $"{d.Name}:{d.ClassNames[c]}[{i}]")];
        return (samples, names, names);
    }
}

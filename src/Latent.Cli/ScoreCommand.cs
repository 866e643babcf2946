// `latent score`: per-sample novelty scores of a saved model of any registry kind (higher = more novel) for images
// given as an IDX images file, a folder tree of images (PNG, JPEG, BMP, GIF, TIFF, WebP; gray or colour, read with the
// model's channels; with --resize, images of another size are resized to the model's as --resize-mode says, as train
// --image-size does), folder:PATH (every image below a folder of class folders, named class/file), dataset:class (that
// class of the dataset's test split, e.g. mnist:5), or, for a model fitted on a table, csv:FILE (the model's columns
// taken by name and standardised as the model was). A text table, CSV or JSON Lines (--format, to stdout or --output
// FILE; ScoreTable), or one JSON document (--json).
// Streaming (docs/SCALE-OUT.md): the input is read, decoded and scored in batches of --batch-size (Scoring/ScorePipeline:
// decoding on all cores one batch ahead of scoring), and rows are written as each batch is scored, so memory is a few
// batches whatever the input's size (the --json document, one JSON value, holds its rows until the end; with --output
// it carries none; folder:PATH and csv:FILE are read whole). --output is written to a temporary name and renamed
// (AtomicFile): a run that fails or is killed leaves the old file or none, never a half-written one. A folder image
// that cannot be read is reported by path and skipped (counted in the summary), or stops the run with --strict.
// --shard I/N scores a share of whole batches (Scoring/Shard) so that N runs, anywhere, concatenate to the single
// run's output. --with-z adds the latent code.
// A model saved with calibration scores (`latent train --calibration 0.2`) also gets, per score, each image's
// conformal p-value and decision (novel / normal): novel iff p <= --alpha (default 0.05; false alarms at most alpha
// on average), or score above the calibration-conditional threshold with --delta, or rejected by Benjamini-Hochberg
// over all the images scored with --fdr Q (Scoring/ScoreRule; the input is then scored twice).
using System.CommandLine;
using Latent.Cli.Output;
using Latent.Cli.Scoring;
using Latent.Data;
using Latent.Models;
using Latent.Models.Invariance;

namespace Latent.Cli;

public static partial class ScoreCommand
{
    /// <summary>--batch-size when not given.</summary>
    public const int DefaultBatch = 256;

    /// <summary>--alpha when the model has calibration and none is given.</summary>
    public const double DefaultAlpha = ScoreRule.DefaultAlpha;

    public static Command Build(TextWriter stdout, TextWriter stderr, bool interactive)
    {
        var file = ModelFileArgument.Option();
        var input = new Option<string>("--input") { Description = "An IDX images file, a folder (tree) of images, folder:PATH (a folder of class folders), dataset:class (test split), or csv:FILE / parquet:FILE for a model fitted on a table.", Required = true };
        var score = new Option<string?>("--score") { Description = "Comma list of scores (default: all of the model's)." };
        var alpha = new Option<double?>("--alpha") { Description = "Models saved with calibration: flag an image novel when its conformal p-value is at most alpha (default 0.05)." };
        var delta = new Option<double?>("--delta") { Description = "With calibration: use the threshold whose false-alarm rate is at most alpha with probability 1 - delta." };
        var fdr = new Option<double?>("--fdr") { Description = "With calibration: flag images by Benjamini-Hochberg over all the images scored, false discovery rate at most Q (scores the input twice)." };
        var format = new Option<string?>("--format") { Description = "table, csv or jsonl (one JSON object per line); default table, or from the --output file's extension (.csv, .jsonl)." };
        var output = new Option<string?>("--output") { Description = "Write the rows to this file (in --format; written to a temporary name, then renamed) instead of stdout; a summary line goes to stdout." };
        var resize = new Option<bool>("--resize") { Description = "A flag: resize images of another size to the model's (area averaging, as train --image-size) instead of refusing them." };
        var batch = new Option<int?>("--batch-size") { Description = $"Images read and scored at a time (default {DefaultBatch}); memory grows with it, not with the input. Shards of one input must use the same." };
        var shard = new Option<string?>("--shard") { Description = "I/N: score only shard I (0 to N-1) of N, a contiguous share of whole batches; the N outputs concatenated in shard order equal the single run's (docs/SCALE-OUT.md)." };
        var resizeMode = ImageData.ResizeModeOption();
        var strict = ImageData.StrictOption();
        var withZ = new Option<bool>("--with-z") { Description = "A flag: add each image's latent code z (models with an encoder, and PCA) to the rows." };
        var cmd = new Command("score", "Score images with a trained model: one row per image, one column per score.")
            { file, input, score, alpha, delta, fdr, format, output, resize, resizeMode, batch, shard, strict, withZ };
        cmd.SetAction(p =>
        {
            var term = new Terminal(stdout, stderr, p.GetValue(LatentCommand.Json), interactive);
            string path = p.GetValue(file)!;
            string[]? only = p.GetValue(score)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            int size = p.GetValue(batch) ?? DefaultBatch;
            if (size is < 1 or > 65536) throw new CliException($"--batch-size {size}: give 1 to 65536 images (default {DefaultBatch}).");
            var run = new ScoreRun
            {
                Term = term,
                ModelPath = path,
                Input = p.GetValue(input)!,
                Resize = p.GetValue(resize),
                Batch = size,
                Shard = Shard.Parse(p.GetValue(shard)),
                Strict = p.GetValue(strict),
                Cache = new DataCache(p.GetValue(LatentCommand.DataDir)),
            };
            var loaded = ModelFileArgument.Load(path, only);
            run.Loaded = loaded;
            run.Shape = loaded.Options.InputShape
                ?? throw new CliException($"--model-file {path}: the model does not say the size of the images it takes; refit it with `latent train`.");
            run.Levels = (p.GetValue(alpha), p.GetValue(delta), p.GetValue(fdr));
            if (p.GetValue(withZ)) run.ZSize = CodeSize(loaded, path);
            string? outPath = p.GetValue(output);
            run.Form = Format(p.GetValue(format), outPath, term.Json);
            if (outPath is not null) OutputPreflight.EnsureWritableFile(Path.GetFullPath(outPath), $"--output {outPath}");
            if (p.GetValue(resizeMode) is string rm && !p.GetValue(resize)) throw new CliException($"--resize-mode {rm} says how --resize resizes; add --resize.");
            run.Mode = ImageData.ParseMode(p.GetValue(resizeMode));
            return run.Execute(outPath);
        });
        return cmd;
    }

    /// <summary>Z for --with-z: the model's code size, or an error when it has no code (no encoder).</summary>
    private static int CodeSize(LoadedModel loaded, string path)
    {
        if (InvariantModel.Reconstructor(loaded.Model) is not null && loaded.Model.Latent is int z) return z;
        throw new CliException($"--with-z: the {loaded.Entry.Name} model in {path} has no latent code to give (no encoder); drop --with-z.");
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

    /// <summary>The rows of csv:FILE for a model fitted on a table: the model's columns by name (others, such as the
    /// label, ignored), standardised as the model was; named "row N" (data rows from 1) with the file's line.</summary>
    internal static (Samples X, string[] Names, string[] Paths) LoadTable(string input, FeatureScaling? features, string modelPath)
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
        return (x, names, [.. Enumerable.Range(0, t.Count).Select(i => t.Lines[i] > 0 ? $"{full}:{t.Lines[i]}" : $"{full}#row{i + 1}")]);
    }

    /// <summary>The images named by --input as (N, C, H, W) levels in [0, 1] of the model's shape, with a name and a
    /// path per image (the full path of a file of a folder; file[i] or dataset:class[i] otherwise), all at once (for
    /// `latent explain`): the first image that cannot be read is an error.</summary>
    internal static (Samples X, string[] Names, string[] Paths) LoadInput(string input, ImageShape shape, bool resize, DataCache cache, Terminal term)
    {
        using var source = ScoreInput.Open(input, shape, resize, cache, term);
        if (source.Count > int.MaxValue / Math.Max(1, shape.Dim))
            throw new CliException($"--input {input} holds {source.Count} images, too many to hold at once; score it with `latent score` (which streams) instead.");
        var b = source.Read(0, (int)source.Count);
        if (b.Skipped.Count > 0) throw ScoreRun.Error(b.Skipped[0]);
        return (b.X, b.Names, b.Paths);
    }
}

// `latent score`: per-sample novelty scores of a saved model of any registry kind (higher = more novel) for
// images given as an IDX images file, a folder of PNG images (gray or colour, converted to gray levels in [0, 1]),
// or dataset:class (that class of the dataset's test split, e.g. mnist:5). Text table or one JSON document.
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

namespace Latent.Cli;

public static class ScoreCommand
{
    public static Command Build(TextWriter stdout, TextWriter stderr, bool interactive)
    {
        var file = new Option<string>("--model-file") { Description = "A model file written by `latent train`.", Required = true };
        var input = new Option<string>("--input") { Description = "An IDX images file, a folder of PNG images, or dataset:class (test split).", Required = true };
        var score = new Option<string?>("--score") { Description = "Comma list of scores (default: all of the model's)." };
        var alpha = new Option<double?>("--alpha") { Description = "Models saved with calibration: flag an image novel when its conformal p-value is at most alpha (default 0.05)." };
        var delta = new Option<double?>("--delta") { Description = "With calibration: use the threshold whose false-alarm rate is at most alpha with probability 1 - delta." };
        var fdr = new Option<double?>("--fdr") { Description = "With calibration: flag images by Benjamini-Hochberg over this batch, false discovery rate at most Q." };
        var cmd = new Command("score", "Score images with a trained model: one row per image, one column per score.") { file, input, score, alpha, delta, fdr };
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
            if (shape.Channels != 1)
                throw new CliException($"--model-file {path}: the model takes {shape} images; `score` reads gray images only (IDX files, PNG folders, datasets).");
            var (x, names) = LoadInput(p.GetValue(input)!, shape.Height, shape.Width, new DataCache(p.GetValue(LatentCommand.DataDir)), term);
            var s = scorer.Score(x);
            var decisions = Decide(loaded, path, s, scorer.Scores, p.GetValue(alpha), p.GetValue(delta), p.GetValue(fdr));
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
                    if (decisions is not null) w.WriteString("rule", Rule(p.GetValue(alpha), p.GetValue(delta), p.GetValue(fdr)));
                    w.WriteStartArray("samples");
                    for (int i = 0; i < x.Count; i++)
                    {
                        w.WriteStartObject();
                        w.WriteNumber("index", i);
                        w.WriteString("name", names[i]);
                        foreach (var info in scorer.Scores) w.Number(info.Name, s[info.Name][i]);
                        if (decisions is not null)
                        {
                            w.WriteStartObject("pValues");
                            foreach (var (name, pv, _) in decisions) w.Number(name, pv[i]);
                            w.WriteEndObject();
                            w.WriteStartObject("decisions");
                            foreach (var (name, _, novel) in decisions) w.WriteString(name, novel[i] ? "novel" : "normal");
                            w.WriteEndObject();
                        }
                        w.WriteEndObject();
                    }
                    w.WriteEndArray();
                    w.WriteEndObject();
                });
            else
            {
                string title = $"{loaded.Entry.Name} ({(scorer.Latent is int z ? $"latent {z}, " : "")}epoch {epoch}): {x.Count} images, higher = more novel" +
                    (decisions is null ? "" : $"; p = conformal p-value, {Rule(p.GetValue(alpha), p.GetValue(delta), p.GetValue(fdr))}");
                var header = new List<string> { "#", "image" };
                foreach (var info in scorer.Scores)
                {
                    header.Add(info.Name);
                    if (decisions?.FirstOrDefault(d => d.Name == info.Name) is { Name: not null }) header.AddRange([$"p {info.Name}", $"{info.Name} decision"]);
                }
                term.Table(title, header, Enumerable.Range(0, x.Count).Select(i =>
                {
                    var cells = new List<string> { i.ToString(CultureInfo.InvariantCulture), names[i] };
                    foreach (var info in scorer.Scores)
                    {
                        cells.Add(s[info.Name][i].ToString("G6", CultureInfo.InvariantCulture));
                        if (decisions?.FirstOrDefault(d => d.Name == info.Name) is { Name: not null } d)
                            cells.AddRange([d.P[i].ToString("G4", CultureInfo.InvariantCulture), d.Novel[i] ? "novel" : "normal"]);
                    }
                    return (IReadOnlyList<string>)cells;
                }));
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

    /// <summary>The images named by --input as (N, H W) gray levels in [0, 1], with a name per image.</summary>
    internal static (Samples X, string[] Names) LoadInput(string input, int height, int width, DataCache cache, Terminal term)
    {
        if (Directory.Exists(input))
        {
            if (ImageFolder.List(input).Length == 0) throw new CliException($"--input {input}: the folder has no .png images.");
            try
            {
                ImageFolderImages set = ImageFolder.LoadGray(input, height, width); // regular files only; sizes checked from the headers first
                return (new Samples(set.Pixels, set.Count, ImageShape.Gray(height, width)), [.. set.Names]);
            }
            catch (ImageSizeException e)
            {
                throw new CliException($"--input: {e.Path} is {e.Width}x{e.Height}; the model takes {width}x{height} images.");
            }
        }
        if (File.Exists(input))
        {
            var (dims, data) = Idx.Read(input);
            if (dims.Length != 3) throw new CliException($"--input {input}: an IDX images file has 3 dimensions (N, H, W), this one has {dims.Length}.");
            if (dims[1] != height || dims[2] != width)
                throw new CliException($"--input {input} holds {dims[2]}x{dims[1]} images; the model takes {width}x{height}.");
            var pixels = new float[data.Length];
            for (int i = 0; i < data.Length; i++) pixels[i] = data[i] / 255f;
            return (new Samples(pixels, dims[0], ImageShape.Gray(height, width)), Enumerable.Range(0, dims[0]).Select(i => $"{Path.GetFileName(input)}[{i}]").ToArray());
        }
        int colon = input.LastIndexOf(':');
        if (colon <= 0) throw new CliException($"--input {input}: not a file, a folder, or dataset:class (e.g. mnist:5).");
        var d = DatasetInfo.Resolve(input[..colon]);
        int c = d.ParseClass(input[(colon + 1)..]);
        var test = Datasets.Load(d, Split.Test, cache, fetch: true, log: term.Json ? null : term.Err).OfClass(c);
        if (test.Height != height || test.Width != width)
            throw new CliException($"--input {input}: {d.Name} has {test.Width}x{test.Height} images; the model takes {width}x{height}.");
        return (ClassModelCommand.ToSamples(test), Enumerable.Range(0, test.Count).Select(i => $"{d.Name}:{d.ClassNames[c]}[{i}]").ToArray());
    }
}

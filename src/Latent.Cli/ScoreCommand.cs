// `latent score`: per-sample novelty scores of a saved model of any registry kind (higher = more novel) for
// images given as an IDX images file, a folder of PNG images (gray or colour, converted to gray levels in [0, 1]),
// or dataset:class (that class of the dataset's test split, e.g. mnist:5). Text table or one JSON document.
using System.CommandLine;
using System.Globalization;
using Latent.Cli.Output;
using Latent.Data;
using Latent.Models;
using Latent.Reporting.Images;

namespace Latent.Cli;

public static class ScoreCommand
{
    public static Command Build(TextWriter stdout, TextWriter stderr, bool interactive)
    {
        var file = new Option<string>("--model-file") { Description = "A model file written by `latent train`.", Required = true };
        var input = new Option<string>("--input") { Description = "An IDX images file, a folder of PNG images, or dataset:class (test split).", Required = true };
        var score = new Option<string?>("--score") { Description = "Comma list of scores (default: all of the model's)." };
        var cmd = new Command("score", "Score images with a trained model: one row per image, one column per score.") { file, input, score };
        cmd.SetAction(p =>
        {
            var term = new Terminal(stdout, stderr, p.GetValue(LatentCommand.Json), interactive);
            string path = p.GetValue(file)!;
            if (string.IsNullOrWhiteSpace(path)) throw new CliException("--model-file is empty; name a model file written by `latent train`.");
            if (Directory.Exists(path)) throw new CliException($"--model-file {path} is a folder; name a model file written by `latent train`.");
            if (!File.Exists(path)) throw new CliException($"--model-file {path} does not exist.");
            string[]? only = p.GetValue(score)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var loaded = ModelFile.Load(path, only);
            var scorer = loaded.Model;
            int epoch = loaded.Epoch;
            var shape = loaded.Options.InputShape
                ?? throw new CliException($"--model-file {path}: the model does not say the size of the images it takes; refit it with `latent train`.");
            if (shape.Channels != 1)
                throw new CliException($"--model-file {path}: the model takes {shape} images; `score` reads gray images only (IDX files, PNG folders, datasets).");
            var (x, names) = LoadInput(p.GetValue(input)!, shape.Height, shape.Width, new DataCache(p.GetValue(LatentCommand.DataDir)), term);
            var s = scorer.Score(x);
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
                    w.WriteStartArray("samples");
                    for (int i = 0; i < x.Count; i++)
                    {
                        w.WriteStartObject();
                        w.WriteNumber("index", i);
                        w.WriteString("name", names[i]);
                        foreach (var info in scorer.Scores) w.Number(info.Name, s[info.Name][i]);
                        w.WriteEndObject();
                    }
                    w.WriteEndArray();
                    w.WriteEndObject();
                });
            else
                term.Table($"{loaded.Entry.Name} ({(scorer.Latent is int z ? $"latent {z}, " : "")}epoch {epoch}): {x.Count} images, higher = more novel",
                    ["#", "image", .. scorer.Scores.Select(i => i.Name)],
                    Enumerable.Range(0, x.Count).Select(i => (IReadOnlyList<string>)
                        [i.ToString(CultureInfo.InvariantCulture), names[i], .. scorer.Scores.Select(info => s[info.Name][i].ToString("G6", CultureInfo.InvariantCulture))]));
            return 0;
        });
        return cmd;
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

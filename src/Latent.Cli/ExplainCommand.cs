// `latent explain`: why a saved model scores images as it does (Latent.Models.Explanations.Explainer). For each image
// of --input (a PNG file, a folder of PNG images, an IDX images file, or dataset:class of the test split; --index
// picks some): the score and its terms (combined = latent-nll + reconstruction, density-x = latent-nll + jacobian),
// the conformal p-value and decision when the model was saved with calibration scores (--alpha asks for them and is
// an error without), the residual map |x - G(E(x))| (peak pixel, the ninth of the image holding most of it), the
// nearest training images in latent space and the latent dimensions furthest from the class (with --reference, the
// class's training images: dataset:class of the training split, a folder or an IDX file), and a one-line summary.
// --out DIR writes one PNG per image (input, reconstruction, residual overlay, nearest training images): a model
// that cannot reconstruct (knn, gaussian) is then an error naming the models that can. Text, or one JSON document.
// A generator without an encoder codes images by a latent search, so it gets 256 evenly spaced reference images.
using System.CommandLine;
using System.Globalization;
using Latent.Cli.Output;
using Latent.Data;
using Latent.IO;
using Latent.Models;
using Latent.Models.Explanations;
using Latent.Data.Png;

namespace Latent.Cli;

public static class ExplainCommand
{
    public static Command Build(TextWriter stdout, TextWriter stderr, bool interactive)
    {
        var file = ModelFileArgument.Option();
        var input = new Option<string>("--input") { Description = "A PNG file, a folder of PNG images, an IDX images file, or dataset:class (test split).", Required = true };
        var indices = new Option<string?>("--index") { Description = "Comma list of image indices within --input to explain (default: all)." };
        var score = new Option<string?>("--score") { Description = "The score to explain (default: combined, else ppca, else the model's first)." };
        var reference = new Option<string?>("--reference") { Description = "The class's training images (dataset:class of the training split, a PNG folder or an IDX file): nearest neighbours, typical terms, code distribution." };
        var neighbours = new Option<int>("--neighbours") { Description = $"Nearest training images to list (1 to {ExplainerOptions.MaxNeighbours}).", DefaultValueFactory = _ => 5 };
        var alpha = new Option<double?>("--alpha") { Description = "Novel iff the conformal p-value is at most alpha (needs a model saved with --calibration; default 0.05 when it has one)." };
        var output = new Option<string?>("--out") { Description = "Write a PNG per image into this folder (input, reconstruction, residual overlay, nearest training images)." };
        var cmd = new Command("explain", "Explain a model's scores of images: terms, p-value, residual map, nearest training images, summary.")
        {
            file, input, indices, score, reference, neighbours, alpha, output,
        };
        cmd.SetAction(p =>
        {
            var term = new Terminal(stdout, stderr, p.GetValue(LatentCommand.Json), interactive);
            int k = p.GetValue(neighbours);
            if (k < 1 || k > ExplainerOptions.MaxNeighbours) throw new CliException($"--neighbours {k}: list 1 to {ExplainerOptions.MaxNeighbours} nearest training images.");
            string? outDir = p.GetValue(output);
            if (outDir is not null)
            {
                if (string.IsNullOrWhiteSpace(outDir)) throw new CliException("--out is empty; name a folder for the pictures, e.g. --out explain.");
                if (File.Exists(outDir)) throw new CliException($"--out {outDir} is a file; name a folder for the pictures.");
            }
            string path = p.GetValue(file)!;
            var loaded = ModelFileArgument.Load(path, null);
            var shape = loaded.Options.InputShape
                ?? throw new CliException($"--model-file {path}: the model does not say the size of the images it takes; refit it with `latent train`.");
            if (shape.Channels != 1)
                throw new CliException($"--model-file {path}: the model takes {shape} images; `explain` reads gray images only (PNG, IDX files, datasets).");
            var cache = new DataCache(p.GetValue(LatentCommand.DataDir));
            var (x, names) = LoadImages(p.GetValue(input)!, shape, cache, term);
            if (p.GetValue(indices) is string list) (x, names) = Pick(x, names, list);
            Samples? refs = p.GetValue(reference) is string r ? LoadReference(r, shape, cache, term) : null;
            int limit = Models.Evaluation.ClassModelProtocol.SearchedReference;
            if (refs is Samples all && loaded.Generative is { } gen && gen is not IEncoder && all.Count > limit)
            {
                // codes by latent search cost hundreds of generator passes per image: an evenly spaced part of the reference
                refs = all.Select(Enumerable.Range(0, limit).Select(i => (int)((long)i * all.Count / limit)).ToArray());
                term.Note($"--reference: the model has no encoder (its codes come from a latent search), so {limit} evenly spaced of the {all.Count} images are used; neighbour indices are among them");
            }
            var explainer = new Explainer(loaded.Model, new ExplainerOptions
            {
                Score = p.GetValue(score),
                Calibration = loaded.Calibration,
                Alpha = p.GetValue(alpha),
                Reference = refs,
                Neighbours = k,
                RequireResidual = outDir is not null,
            });
            var explained = explainer.Explain(x);
            string[]? pictures = null;
            if (outDir is not null)
            {
                Directory.CreateDirectory(outDir);
                pictures = new string[x.Count];
                // the images as the model sees them: a model fitted on preprocessed images reconstructs those
                var seen = explainer.Seen(x);
                Samples? seenRefs = refs is Samples rs ? explainer.Seen(rs) : null;
                for (int i = 0; i < x.Count; i++)
                {
                    var e = explained[i];
                    var nn = e.Neighbours.Select(n => seenRefs!.Value.Row(n.Index).ToArray()).ToArray();
                    pictures[i] = Path.GetFullPath(Path.Combine(outDir, $"explain-{i:000}.png"));
                    AtomicFile.EnsureWritableTarget(pictures[i]);
                    PngEncoder.Save(pictures[i], ExplanationImage.Render(e, seen.Row(i), nn, shape));
                }
            }
            if (term.Json) ExplainOutput.Json(stdout, loaded, path, explainer, explained, names, pictures);
            else ExplainOutput.Text(stdout, term, loaded, explainer, explained, names, pictures);
            return 0;
        });
        return cmd;
    }

    /// <summary>--input: one PNG file, else what `latent score` reads (folder, IDX file, dataset:class of the test split).</summary>
    private static (Samples X, string[] Names) LoadImages(string input, ImageShape shape, DataCache cache, Terminal term)
    {
        if (File.Exists(input) && input.EndsWith(".png", StringComparison.OrdinalIgnoreCase))
        {
            PngImage png = PngDecoder.Load(input);
            if (png.Width != shape.Width || png.Height != shape.Height)
                throw new CliException($"--input {input} is {png.Width}x{png.Height}; the model takes {shape.Width}x{shape.Height} images.");
            return (new Samples(png.ToGrayFloats(), 1, shape), [Path.GetFileName(input)]);
        }
        var (x, names, _) = ScoreCommand.LoadInput(input, shape, false, cache, term);
        return (x, names);
    }

    /// <summary>--index i,j,...: those images, in the order given.</summary>
    private static (Samples X, string[] Names) Pick(Samples x, string[] names, string list)
    {
        var picked = new List<int>();
        foreach (string part in list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out int i))
                throw new CliException($"--index {list}: '{part}' is not an image index; give e.g. --index 0,7.");
            if (i >= x.Count) throw new CliException($"--index {i}: --input has {x.Count} images (indices 0 to {x.Count - 1}).");
            picked.Add(i);
        }
        if (picked.Count == 0) throw new CliException("--index is empty; give e.g. --index 0,7.");
        return (x.Select(picked), picked.Select(i => names[i]).ToArray());
    }

    /// <summary>--reference: dataset:class of the training split, else a PNG folder or IDX file.</summary>
    private static Samples LoadReference(string text, ImageShape shape, DataCache cache, Terminal term)
    {
        if (File.Exists(text) || Directory.Exists(text)) return ScoreCommand.LoadInput(text, shape, false, cache, term).X;
        int colon = text.LastIndexOf(':');
        if (colon <= 0) throw new CliException($"--reference {text}: not a file, a folder, or dataset:class (e.g. mnist:3, the class the model was trained on).");
        var d = DatasetInfo.Resolve(text[..colon]);
        int c = d.ParseClass(text[(colon + 1)..]);
        var set = Datasets.Load(d, Split.Train, cache, fetch: true, log: term.Json ? null : term.Err, classes: [c]);
        if (set.Height != shape.Height || set.Width != shape.Width)
            throw new CliException($"--reference {text}: {d.Name} has {set.Width}x{set.Height} images; the model takes {shape.Width}x{shape.Height}.");
        return ClassModelCommand.ToSamples(set);
    }
}

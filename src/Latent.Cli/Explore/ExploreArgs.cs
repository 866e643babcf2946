// What the `latent explore` subcommands share: their options (--model-file, --out folder, --dataset, --judge), the
// checks those get (one-line usage errors), loading a model's latent space, a dataset split with its labels, a judge,
// and writing a PNG grid beside the report.
using System.CommandLine;
using Latent.Cli.Output;
using Latent.Data;
using Latent.IO;
using Latent.Models;
using Latent.Models.Classical;
using Latent.Models.Exploration;
using Latent.Models.Exploration.Judges;
using Latent.Models.Invariance;
using Latent.Reporting.Images;
using Latent.Data.Png;
using Latent.Reporting.Report;

namespace Latent.Cli.Explore;

internal static class ExploreArgs
{
    /// <summary>The report every subcommand writes into its --out folder.</summary>
    public const string ReportName = "report.html";

    public static Option<string> ModelFile() => ModelFileArgument.Option("train it with --class all");

    public static Option<string[]> ModelFiles() => new("--model-file")
    {
        Description = "Model files written by `latent train` (repeat the option to compare models side by side).",
        Required = true,
        AllowMultipleArgumentsPerToken = true,
    };

    public static Option<string> Out() => new("--out") { Description = "Folder for the PNG grids, SVG plots and report.html (created if missing).", Required = true };

    public static Option<string> Dataset() => new("--dataset") { Description = "mnist, fashion-mnist, a folder of MNIST-layout IDX files, or folder:PATH (a folder of class folders of one-size images, read as gray; its train/test folders, or 0.2 of each class held out as the test split).", DefaultValueFactory = _ => "mnist" };

    public static Option<string?> Judge() => new("--judge") { Description = "A judge written by `latent explore judge train` (logreg or cnn): class probabilities of the generated images." };

    public static Option<int> Seed() => new("--seed") { Description = "Seed of every random draw (the same seed gives the same images).", DefaultValueFactory = _ => 0 };

    /// <summary>The --out folder, created if missing; a file there is a usage error.</summary>
    public static string OutDir(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) throw new CliException("--out is empty; name the folder to write, e.g. --out explore/pairs.");
        string full = Path.GetFullPath(text);
        if (File.Exists(full)) throw new CliException($"--out {text} is a file; name a folder (it is created if missing).");
        Directory.CreateDirectory(full);
        return full;
    }

    /// <summary>The model at <paramref name="path"/> and its latent space.</summary>
    public static (LoadedModel Loaded, LatentSpace Space) Space(string path)
    {
        var loaded = ModelFileArgument.Load(path, []);
        // a model fitted on preprocessed images (--preprocess) encodes images preprocessed the same way
        var preprocess = (loaded.Model as InvariantModel)?.Invariance.Preprocess ?? Preprocess.None;
        if (loaded.Generative is { } g)
        {
            if (g is not IGenerator)
                throw new CliException($"--model-file {path} holds a '{loaded.Entry.Name}' model, which cannot decode codes; models with a latent space: pca, {ModelRegistry.Names(e => e.IsTrained)}.");
            return (loaded, LatentSpace.Of(g).Preprocessed(preprocess));
        }
        if (InvariantModel.Unwrap(loaded.Model) is PcaGaussian pca) return (loaded, LatentSpace.Of(pca).Preprocessed(preprocess));
        throw new CliException($"--model-file {path} holds a '{loaded.Entry.Name}' model, which has no latent space to explore; models with one: pca, {ModelRegistry.Names(e => e.IsTrained)}.");
    }

    /// <summary>The space of <paramref name="path"/>, which must encode real images.</summary>
    public static (LoadedModel Loaded, LatentSpace Space) EncodingSpace(string path, string what)
    {
        var r = Space(path);
        if (!r.Space.CanEncode) throw new CliException($"--model-file {path}: {what} needs real images encoded, and " + LatentSpace.CannotEncode(r.Loaded.Entry.Name));
        return r;
    }

    /// <summary>A split of the dataset: (N, H W) pixels in [0, 1], labels, class names.</summary>
    public static (ImageSet Set, DatasetInfo Info) Load(string dataset, Split split, ParseResult p, Terminal term)
    {
        if (ClassFolders.PathOf(dataset) is string root) return LoadClassFolders(root, split, term);
        var d = DatasetInfo.Resolve(dataset);
        var set = Datasets.Load(d, split, new DataCache(p.GetValue(LatentCommand.DataDir)), fetch: true, log: term.Json ? null : term.Err);
        return (set, d);
    }

    /// <summary>A split of folder:PATH as gray images with their class labels (at most 256 classes).</summary>
    private static (ImageSet Set, DatasetInfo Info) LoadClassFolders(string root, Split split, Terminal term)
    {
        var (train, test) = ClassFolders.LoadSplits(root, ImageReading.Default with { Channels = 1 }, ImageFolderRun.DefaultValidation, term);
        if (train.ClassNames.Count > 256) throw new CliException($"folder:{root} has {train.ClassNames.Count} classes; explore reads at most 256.");
        var s = split == Split.Train ? train : test;
        var set = new ImageSet(s.X.X, [.. s.Labels.Select(l => (byte)l)], s.X.Shape.Height, s.X.Shape.Width, s.Name);
        return (set, ClassFolders.Info(root, train.ClassNames));
    }

    /// <summary>Checks that <paramref name="set"/> takes the images of <paramref name="shape"/>.</summary>
    public static void CheckShape(ImageSet set, ImageShape shape, string path)
    {
        if (shape.Channels != 1 || shape.Height != set.Height || shape.Width != set.Width)
            throw new CliException($"--model-file {path} takes {shape} images; the dataset has {set.Height}x{set.Width} gray images.");
    }

    public static int[] Labels(ImageSet set) => set.Labels.Select(b => (int)b).ToArray();

    /// <summary>The classes named by a comma list ("all": every class of the dataset); a class with no image is a data error.</summary>
    public static int[] Classes(string text, DatasetInfo d, ImageSet set)
    {
        int[] classes = string.Equals(text.Trim(), "all", StringComparison.OrdinalIgnoreCase)
            ? Enumerable.Range(0, d.ClassCount).ToArray()
            : text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(d.ParseClass).Distinct().Order().ToArray();
        if (classes.Length < 2) throw new CliException($"--classes {text}: give at least two classes (or all).");
        var present = set.Classes();
        var missing = classes.Where(c => !present.Contains(c)).ToArray();
        if (missing.Length > 0)
            throw new DataException($"class{(missing.Length > 1 ? "es" : "")} {string.Join(", ", missing.Select(c => d.ClassNames[c]))} ha{(missing.Length > 1 ? "ve" : "s")} no images in {set.Source}; " +
                $"classes present: {string.Join(", ", present.Select(c => d.ClassNames[c]))}.");
        return classes;
    }

    /// <summary>The judge at <paramref name="path"/>, or null when none is given.</summary>
    public static Judge? LoadJudge(string? path, ImageShape shape)
    {
        if (path is null) return null;
        if (string.IsNullOrWhiteSpace(path)) throw new CliException("--judge is empty; name a judge written by `latent explore judge train`.");
        if (Directory.Exists(path)) throw new CliException($"--judge {path} is a folder; name a judge file written by `latent explore judge train`.");
        if (!File.Exists(path)) throw new CliException($"--judge {path} does not exist; train one with `latent explore judge train --kind logreg --out {path}`.");
        var (judge, _) = JudgeFile.Load(path);
        if (judge.Options.Height != shape.Height || judge.Options.Width != shape.Width)
            throw new CliException($"--judge {path} takes {judge.Options.Height}x{judge.Options.Width} images; the model makes {shape}.");
        return judge;
    }

    /// <summary>Writes a grid of (count, H W) images as <paramref name="name"/> in <paramref name="dir"/> and adds it to the report.</summary>
    public static string Grid(string dir, string name, ReadOnlySpan<float> images, int count, ImageShape s, ImageGridOptions options, ExploreReport report, string caption)
    {
        var clipped = images.ToArray();
        for (int i = 0; i < clipped.Length; i++) clipped[i] = Math.Clamp(clipped[i], 0f, 1f);
        var png = ImageGrid.Compose(clipped, count, s.Height, s.Width, options);
        string path = Path.Combine(dir, name);
        byte[] bytes = PngEncoder.Encode(png);
        AtomicFile.Write(path, f => f.Write(bytes));
        report.Png(caption, bytes, png.Width, png.Height, name);
        return path;
    }

    /// <summary>Writes an SVG plot as <paramref name="name"/> in <paramref name="dir"/> and adds it to the report.</summary>
    public static string Svg(string dir, string name, string svg, ExploreReport report, string caption)
    {
        string path = Path.Combine(dir, name);
        byte[] bytes = System.Text.Encoding.UTF8.GetBytes(svg);
        AtomicFile.Write(path, f => f.Write(bytes));
        report.Svg(caption, svg, name);
        return path;
    }

    /// <summary>Writes the report into <paramref name="dir"/>; returns its path.</summary>
    public static string SaveReport(string dir, ExploreReport report)
    {
        string path = Path.Combine(dir, ReportName);
        report.Save(path);
        return path;
    }

    public static string F(double v, string format = "0.000") =>
        double.IsFinite(v) ? v.ToString(format, System.Globalization.CultureInfo.InvariantCulture) : "-";
}

// Runs a class-modelling evaluation: resolve the classes, load (fetching on first use) the data,
// fit the model on the training images of each real class, score the real and fake test images.
using System.Diagnostics;
using Latent.Cli.Output;
using Latent.Data;
using Latent.Models;
using Latent.Models.Evaluation;

namespace Latent.Cli;

public sealed record ClassModelEntry(ClassModelResult Result, double[] RealScores, double[] FakeScores);

/// <summary>Test images, and what the reconstructing models made of them, for reports (single real class only).</summary>
public sealed record ClassModelImages(
    float[] Real, float[] Fake, int Count, int Height, int Width,
    IReadOnlyList<(string Name, float[] Real, float[] Fake)> Reconstructions,
    (string Name, float[] Z, int Dims, int[] Classes, string[] ClassNames)? Codes);

public sealed record ClassModelRun(
    ClassModelRequest Request, bool OneVsRest, IReadOnlyList<int> RealClasses,
    IReadOnlyList<ClassModelEntry> Entries, double Seconds, int TrainCount, int RealCount, int FakeCount,
    ClassModelImages? Images = null);

public static class ClassModelRunner
{
    public static ClassModelRun Run(ClassModelRequest req, DataCache cache, Terminal term)
    {
        ArgumentNullException.ThrowIfNull(req);
        ArgumentNullException.ThrowIfNull(term);
        var d = req.Dataset;
        bool allReal = req.RealText.Equals("all", StringComparison.OrdinalIgnoreCase);
        bool rest = req.FakeText.Equals("rest", StringComparison.OrdinalIgnoreCase);
        if (allReal && !rest) throw new CliException("--real all runs the one-vs-rest protocol and needs --fake rest.");
        int[] reals = allReal ? Enumerable.Range(0, d.ClassCount).ToArray() : [d.ParseClass(req.RealText)];
        int[]? fakes = rest ? null : req.FakeText.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(d.ParseClass).Distinct().ToArray();
        if (fakes is { Length: 0 }) throw new CliException("--fake needs a class, a comma list of classes, or 'rest'.");
        if (fakes is not null && fakes.Contains(reals[0]))
            throw new CliException($"--fake {req.FakeText} includes the real class {reals[0]}; the fake classes must differ from it.");
        if (!d.IsLocalFolder) ClassModelCatalog.ValidateLatents(req.Kind, req.Options.Latents, 28 * 28); // before any download

        var train = Datasets.Load(d, Split.Train, cache, fetch: true, log: term.Json ? null : term.Err);
        var test = Datasets.Load(d, Split.Test, cache, fetch: true, log: term.Json ? null : term.Err);
        ClassModelCatalog.ValidateLatents(req.Kind, req.Options.Latents, train.Dim);

        var sw = Stopwatch.StartNew();
        string? fakeName = fakes is null ? null : string.Join(",", fakes.Select(f => d.ClassNames[f]));
        var perClass = term.WithProgress($"{req.Kind.Name} on {d.Name}", reals.Length, progress =>
            reals.Select(c => RunClass(req, train, test, c, fakes ?? Enumerable.Range(0, d.ClassCount).Where(k => k != c).ToArray(),
                fakeName ?? "rest", keepImages: req.KeepImages && !allReal, progress)).ToList());
        return new ClassModelRun(req, allReal, reals, perClass.SelectMany(r => r.Entries).ToList(), sw.Elapsed.TotalSeconds,
            perClass.Sum(r => r.Train), perClass.Sum(r => r.Real), perClass.Sum(r => r.Fake), perClass.Select(r => r.Images).LastOrDefault());
    }

    private sealed record ClassResult(List<ClassModelEntry> Entries, int Train, int Real, int Fake, ClassModelImages? Images);

    // Fits on the training images of class c and scores its test images against those of the fake classes.
    private static ClassResult RunClass(ClassModelRequest req, ImageSet train, ImageSet test, int c, int[] fakeClasses,
        string fakeName, bool keepImages, IProgress progress)
    {
        var d = req.Dataset;
        var trainC = train.OfClass(c);
        if (trainC.Count < 2) throw new CliException($"class {c} has {trainC.Count} training images in {d.Name}; a class model needs at least 2.");
        var realTest = test.OfClass(c);
        var fakeTest = test.OfClasses(fakeClasses);
        if (realTest.Count == 0 || fakeTest.Count == 0)
            throw new CliException($"the test split of {d.Name} has {realTest.Count} images of class {c} and {fakeTest.Count} of the fake classes; both are needed.");
        progress.Step($"class {d.ClassNames[c]}: fitting {req.Kind.Name} on {trainC.Count} training images, testing {realTest.Count} real vs {fakeTest.Count} fake ...");
        var models = ClassModelCatalog.Fit(req.Kind, ToSamples(trainC), req.Options);
        var entries = new List<ClassModelEntry>();
        foreach (var m in models)
            foreach (var (r, sr, sf) in Evaluator.Evaluate(m, ToSamples(realTest), ToSamples(fakeTest), d.ClassNames[c], fakeName, req.Scores))
                entries.Add(new ClassModelEntry(r, sr, sf));
        var images = keepImages ? Images(models, realTest, fakeTest, d.ClassNames[c], fakeName) : null;
        return new ClassResult(entries, trainC.Count, realTest.Count, fakeTest.Count, images);
    }

    /// <summary>How many real and fake test images a report shows.</summary>
    public const int ImagesShown = 12;

    private static ClassModelImages Images(IReadOnlyList<IClassModel> models, ImageSet real, ImageSet fake, string realName, string fakeName)
    {
        int n = Math.Min(ImagesShown, Math.Min(real.Count, fake.Count));
        var r = ToSamples(real.Select(Enumerable.Range(0, n).ToArray(), real.Source));
        var f = ToSamples(fake.Select(Enumerable.Range(0, n).ToArray(), fake.Source));
        var recs = models.OfType<IReconstructor>()
            .Select(m => (Name: Caption((IClassModel)m), Real: m.Reconstruct(r), Fake: m.Reconstruct(f)))
            .ToList();
        (string, float[], int, int[], string[])? codes = null;
        if (models.Where(m => m is IReconstructor).MinBy(m => m.Latent ?? int.MaxValue) is IReconstructor enc)
        {
            // codes of every real and fake test image under the smallest latent size, coloured real / fake
            var all = ToSamples(real);
            var zr = enc.Encode(all);
            var zf = enc.Encode(ToSamples(fake));
            int dims = zr.Length / Math.Max(1, real.Count);
            var classes = Enumerable.Repeat(0, real.Count).Concat(Enumerable.Repeat(1, fake.Count)).ToArray();
            codes = (Caption((IClassModel)enc), [.. zr, .. zf], dims, classes, [$"real ({realName})", $"fake ({fakeName})"]);
        }
        return new ClassModelImages(r.X, f.X, n, real.Height, real.Width, recs, codes);
    }

    private static string Caption(IClassModel m) => m.Latent is int k ? $"{m.Name} k={k}" : m.Name;

    public static Samples ToSamples(ImageSet s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return new Samples(s.Pixels, s.Count, s.Dim);
    }
}

// Turns a class-modelling run into the report Latent.Reporting writes (index.html, plots, images).
using System.Globalization;
using Latent.Models;
using Latent.Reporting.Report;

namespace Latent.Cli;

public static class ClassModelReportBuilder
{
    public static ClassModelReport Build(ClassModelRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var req = run.Request;
        string I(int v) => v.ToString(CultureInfo.InvariantCulture);
        var first = run.Entries.FirstOrDefault()?.Result;
        string title = run.OneVsRest
            ? $"{req.Kind.Name} class models of {req.Dataset.Name}: one-vs-rest"
            : $"{req.Kind.Name} class model of {req.Dataset.Name}: {first?.Real} (real) vs {first?.Fake} (fake)";
        var settings = new List<KeyValuePair<string, string>>
        {
            new("dataset", req.Dataset.Name),
            new("model", $"{req.Kind.Name}: {req.Kind.Description}"),
            new("real", run.OneVsRest ? "each class in turn" : first?.Real ?? ""),
            new("fake", run.OneVsRest ? "every other class" : first?.Fake ?? ""),
            new("training images", I(run.TrainCount)),
            new("test images", $"{I(run.RealCount)} real, {I(run.FakeCount)} fake"),
        };
        if (req.Kind.HasLatent) settings.Add(new("latent sizes", string.Join(", ", req.Options.Latents)));
        if (req.Kind.Name == "knn") settings.Add(new("neighbour", $"k = {I(req.Options.Neighbours)}, {req.Options.Metric.ToString().ToLowerInvariant()}"));
        if (req.Kind.Name == "gaussian") settings.Add(new("variance floor", req.Options.VarianceFloor.ToString("G", CultureInfo.InvariantCulture)));
        if (ClassModelCatalog.IsDeep(req.Kind)) settings.Add(new("training", DeepTraining(req.Options)));
        settings.Add(new("scores", string.Join(", ", req.Kind.Scores.Where(s => req.Scores is null || req.Scores.Contains(s.Name))
            .Select(s => $"{s.Name} = {s.Formula} [{s.Units}]"))));
        settings.Add(new("fit + score time", run.Seconds.ToString("0.00 s", CultureInfo.InvariantCulture)));

        var rows = run.Entries.Select(e => new ClassModelRow(e.Result.Real, e.Result.Fake, e.Result.Model, e.Result.Latent, e.Result.Score,
            e.Result.BalancedError, e.Result.PooledError, e.Result.Auroc, e.Result.Threshold)
        { RealScores = e.RealScores, FakeScores = e.FakeScores, BalancedErrorLow = e.Result.BalancedErrorLow, BalancedErrorHigh = e.Result.BalancedErrorHigh }).ToList();

        var img = run.Images;
        ImageBatch? real = img is null ? null : new ImageBatch(img.Real, img.Count, img.Height, img.Width);
        ImageBatch? fake = img is null ? null : new ImageBatch(img.Fake, img.Count, img.Height, img.Width);
        var recs = img?.Reconstructions.Select(r => new Reconstruction(r.Name,
            new ImageBatch(r.Real, img.Count, img.Height, img.Width), new ImageBatch(r.Fake, img.Count, img.Height, img.Width))).ToList() ?? [];
        var codes = img?.Codes is { } c
            ? new List<LatentCodes> { new(c.Name, c.Z, c.Classes.Length, c.Dims) { Classes = c.Classes, ClassNames = c.ClassNames } }
            : [];
        return new ClassModelReport
        {
            Title = title,
            Settings = settings,
            Rows = rows,
            RealImages = real,
            FakeImages = fake,
            Reconstructions = recs,
            Latents = codes,
            ImagesShown = ClassModelRunner.ImagesShown,
            CreatedAt = DateTimeOffset.UtcNow,
        };
    }

    /// <summary>The deep models' training settings, e.g. "40 epochs, seed 0, cosine learning rate, augment shift=2,..., ensemble of 4".</summary>
    private static string DeepTraining(ClassModelOptions o)
    {
        var parts = new List<string>
        {
            o.Epochs is int e ? $"{e} epoch{(e == 1 ? "" : "s")}" : $"preset {o.Preset}",
            o.Ensemble > 1 ? $"seeds {o.Seed} to {o.Seed + o.Ensemble - 1}" : $"seed {o.Seed}",
        };
        if (o.Schedule is { } sc) parts.Add($"{sc.ToString().ToLowerInvariant()} learning rate");
        if (o.BatchSize is int b) parts.Add($"batch {b}");
        if (o.Likelihood is { } l) parts.Add($"{l.ToString().ToLowerInvariant()} decoder");
        if (o.DenoisingNoise is float n) parts.Add(string.Create(CultureInfo.InvariantCulture, $"denoising noise {n:G3}"));
        if (o.Augment is { IsNone: false } a) parts.Add($"augment {a}");
        if (o.Ensemble > 1) parts.Add($"ensemble of {o.Ensemble} (mean score)");
        return string.Join(", ", parts);
    }
}

// Turns a class-modelling run into the report Latent.Reporting writes (index.html, plots, images).
using System.Globalization;
using Latent.Models.Evaluation;
using Latent.Reporting.Report;

namespace Latent.Cli;

public static class ClassModelReportBuilder
{
    public static ClassModelReport Build(ClassModelRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var req = run.Request;
        string I(int v) => v.ToString(CultureInfo.InvariantCulture);
        var first = run.Entries.Count > 0 ? run.Entries[0].Result : null;
        string title = run.OneVsRest
            ? $"{req.Model.Name} class models of {run.DataName}: one-vs-rest"
            : $"{req.Model.Name} class model of {run.DataName}: {first?.Real} (real) vs {first?.Fake} (fake)";
        var settings = new List<KeyValuePair<string, string>>
        {
            new("dataset", run.DataName),
            new("model", $"{req.Model.Name}: {req.Model.Description}"),
            new("real", run.OneVsRest ? "each class in turn" : first?.Real ?? ""),
            new("fake", run.OneVsRest ? "every other class" : first?.Fake ?? ""),
            new("training images", I(run.TrainCount)),
            new("test images", $"{I(run.RealCount)} real, {I(run.FakeCount)} fake"),
        };
        if (req.Model.HasLatent) settings.Add(new("latent sizes", string.Join(", ", req.Latents)));
        settings.AddRange(req.Options.Settings(req.Ensemble));
        settings.Add(new("scores", string.Join(", ", req.Model.Scores(req.Options).Where(s => req.Scores is null || req.Scores.Contains(s.Name))
            .Select(s => $"{s.Name} = {s.Formula} [{s.Units}]"))));
        settings.Add(new("fit + score time", run.Seconds.ToString("0.00 s", CultureInfo.InvariantCulture)));

        var rows = run.Entries.Select(e => new ClassModelRow(e.Result.Real, e.Result.Fake, e.Result.Model, e.Result.Latent, e.Result.Score,
            e.Result.BalancedError, e.Result.PooledError, e.Result.Auroc, e.Result.Threshold)
        { RealScores = e.RealScores, FakeScores = e.FakeScores, BalancedErrorLow = e.Result.BalancedErrorLow, BalancedErrorHigh = e.Result.BalancedErrorHigh }).ToList();

        var img = run.Images;
        ImageBatch? real = img is null ? null : Batch(img.Real, img);
        ImageBatch? fake = img is null ? null : Batch(img.Fake, img);
        var recs = img?.Reconstructions.Select(r => new Reconstruction(r.Name, Batch(r.Real, img), Batch(r.Fake, img))).ToList() ?? [];
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
            Cards = ExplanationCards.Build(run),
            ImagesShown = ClassModelProtocol.ImagesShown,
            CreatedAt = DateTimeOffset.UtcNow,
        };
    }

    /// <summary>The first channel of each image: the report draws gray images.</summary>
    private static ImageBatch Batch(float[] images, ClassModelImages img)
    {
        var shape = img.Shape;
        if (shape.Channels == 1) return new ImageBatch(images, img.Count, shape.Height, shape.Width);
        int plane = shape.Height * shape.Width;
        var gray = new float[img.Count * plane];
        for (int n = 0; n < img.Count; n++) images.AsSpan(n * shape.Dim, plane).CopyTo(gray.AsSpan(n * plane, plane));
        return new ImageBatch(gray, img.Count, shape.Height, shape.Width);
    }
}

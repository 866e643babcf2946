// The report's galleries for a one-pair run: all of the real (normal) and fake (novel) test images, in the order the
// protocol scored them (LabelledSamples.OfClass / OfClasses), handed to Gallery.OfBestRow, which picks the most novel
// normal images and the most normal-looking anomalies of the best result. One-vs-rest runs get none (which pair?).
using Latent.Models;
using Latent.Models.Evaluation;
using Latent.Reporting.Report;

namespace Latent.Cli;

internal static class ClassModelGalleries
{
    public static IReadOnlyList<Gallery> Of(ClassModelReport report, ClassModelRun run, LabelledSamples test)
    {
        if (run.Request.RealClass is not int c) return [];
        var fakes = run.Request.FakeClasses ?? [.. Enumerable.Range(0, test.ClassNames.Count).Where(k => k != c)];
        return Gallery.OfBestRow(report.Rows, Gray(test.OfClass(c)), Gray(test.OfClasses([.. fakes])));
    }

    /// <summary>The first channel of each sample (the report draws gray images); null for none.</summary>
    private static ImageBatch? Gray(Samples s)
    {
        if (s.Count == 0) return null;
        int plane = s.Shape.Height * s.Shape.Width;
        var gray = new float[s.Count * plane];
        for (int n = 0; n < s.Count; n++) s.Row(n)[..plane].CopyTo(gray.AsSpan(n * plane, plane));
        return new ImageBatch(gray, s.Count, s.Shape.Height, s.Shape.Width);
    }
}

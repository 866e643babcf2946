// The classmodel report's "Explanations and training alarms" cards (ReportCard): one card per explained test image
// (most novel, most typical, most borderline; ClassModelRun.Explained) with its picture (ExplanationImage) and
// summary, and one card listing the training alarms the fitted models raised (ClassModelRun.Alarms).
using System.Globalization;
using Latent.Models.Evaluation;
using Latent.Models.Explanations;
using Latent.Data.Png;
using Latent.Reporting.Report;

namespace Latent.Cli;

public static class ExplanationCards
{
    public static IReadOnlyList<ReportCard> Build(ClassModelRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var cards = new List<ReportCard>();
        foreach (ExplanationCase c in run.Explained)
        {
            var e = c.Explanation;
            PngImage png = ExplanationImage.Render(e, c.Image, c.NeighbourImages, c.Shape);
            var lines = new List<string>
            {
                e.Summary,
                $"{e.Score} = {string.Join(" + ", e.Terms.Select(t => $"{t.Name} {G(t.Value)}{(double.IsFinite(t.Typical) ? $" (typical {G(t.Typical)})" : "")}"))}" +
                    $"; threshold {G(c.Threshold)}",
            };
            cards.Add(new ReportCard(Capital(c.Role), $"{(c.IsReal ? "real" : "fake")} test image #{e.Index}, {c.Model} {G(e.Value)}", lines)
            {
                Png = PngEncoder.Encode(png),
                PngWidth = png.Width,
                PngHeight = png.Height,
                Alt = $"{c.Role} test image, its reconstruction, residual map and nearest training images",
            });
        }
        if (run.Alarms.Count > 0)
            cards.Add(new ReportCard("Training alarms", $"{run.Alarms.Count} raised", run.Alarms.Select(a => $"{a.Model}: {a.Alarm}").ToArray()));
        return cards;
    }

    private static string Capital(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];

    private static string G(double v) => v.ToString("G4", CultureInfo.InvariantCulture);
}

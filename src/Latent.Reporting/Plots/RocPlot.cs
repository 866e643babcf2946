// ROC curves (false positive rate = reals flagged fake, true positive rate = fakes flagged) of one or more
// scores on the same axes, AUROC in the legend, the chance diagonal dashed, and each series' chosen
// threshold marked as a dot. Convention and AUROC: see RocCurve.
using System.Globalization;

namespace Latent.Reporting.Plots;

/// <summary>ROC curves (false positive rate = reals flagged fake, true positive rate = fakes flagged) of one or more scores on the same axes, AUROC in the legend, the chance diagonal dashed, and each series' chosen threshold marked as a dot.</summary>
public static class RocPlot
{
    public static string Render(IReadOnlyList<RocSeries> series, string? title = null, double width = 380, double height = 360)
    {
        ArgumentNullException.ThrowIfNull(series);
        double[] ticks = [0, 0.2, 0.4, 0.6, 0.8, 1];
        var frame = new PlotFrame(width, height, title, ["0.0"]);
        frame.SetX(ticks, 0, 1, format: v => v.ToString("0.0", CultureInfo.InvariantCulture));
        frame.SetY(ticks, 0, 1, format: v => v.ToString("0.0", CultureInfo.InvariantCulture));
        frame.DrawAxes("false positive rate (real flagged fake)", "true positive rate (fake flagged)");
        var s = frame.Svg;
        s.Line(frame.X.Map(0), frame.Y.Map(0), frame.X.Map(1), frame.Y.Map(1), "stroke=\"#b5bac4\" stroke-dasharray=\"4 4\"", "class=\"chance\"");

        var legend = new List<LegendEntry>();
        var avoid = new List<(double X, double Y)>();
        for (int k = 0; k < series.Count; k++)
        {
            RocSeries rs = series[k];
            string color = series.Count == 1 ? Palette.Fake : Palette.Color(k);
            int rNan = rs.Real.Count(double.IsNaN), fNan = rs.Fake.Count(double.IsNaN);
            int rCount = rs.Real.Length - rNan, fCount = rs.Fake.Length - fNan;
            if (rCount == 0 || fCount == 0)
            {
                frame.AddNote(string.Create(CultureInfo.InvariantCulture,
                    $"{rs.Name}: no ROC curve, it needs real and fake scores ({rCount} real, {fCount} fake that are not NaN)"));
                continue;
            }
            // Infinite scores still order; only NaN is left out.
            if (rNan + fNan > 0)
                frame.AddNote(string.Create(CultureInfo.InvariantCulture, $"{rs.Name}: {rNan} real and {fNan} fake NaN scores left out of the curve"));
            RocCurve roc = RocCurve.Compute(rs.Real, rs.Fake);
            // Keep the corners only: a vertex between two steps in the same direction adds nothing to the drawing.
            var pts = new List<(double, double)>(roc.Fpr.Count);
            for (int i = 0; i < roc.Fpr.Count; i++)
            {
                bool inner = i > 0 && i < roc.Fpr.Count - 1
                    && ((roc.Fpr[i - 1] == roc.Fpr[i] && roc.Fpr[i] == roc.Fpr[i + 1]) || (roc.Tpr[i - 1] == roc.Tpr[i] && roc.Tpr[i] == roc.Tpr[i + 1]));
                if (!inner) pts.Add((frame.X.Map(roc.Fpr[i]), frame.Y.Map(roc.Tpr[i])));
            }
            avoid.AddRange(PlotFrame.Densify(pts));
            s.Polyline(pts, $"fill=\"none\" stroke=\"{color}\" stroke-width=\"2\" stroke-linejoin=\"round\"",
                $"class=\"roc\" data-auroc=\"{PlotFrame.Inv(roc.Auroc)}\"");
            if (rs.Threshold is { } t && !double.IsNaN(t))
            {
                (double fpr, double tpr) = RocCurve.At(rs.Real, rs.Fake, t);
                s.Circle(frame.X.Map(fpr), frame.Y.Map(tpr), 4, $"fill=\"#ffffff\" stroke=\"{color}\" stroke-width=\"2\"",
                    $"class=\"operating-point\" data-fpr=\"{PlotFrame.Inv(fpr)}\" data-tpr=\"{PlotFrame.Inv(tpr)}\"");
            }
            legend.Add(new LegendEntry($"{rs.Name} (AUROC {roc.Auroc.ToString("0.000", CultureInfo.InvariantCulture)})", color, LegendKey.Line));
        }
        if (series.Any(r => r.Threshold is not null)) legend.Add(new LegendEntry("threshold", Palette.Threshold, LegendKey.Ring));
        frame.DrawLegend(legend, bottom: true, avoid: avoid);
        return frame.Finish();
    }
}

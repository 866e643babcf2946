// Overlaid histograms of two score distributions (real vs fake test samples) on shared bins, each normalised
// to fractions of its own sample count so unequal test sets compare, with the decision threshold marked.
// Bins span the pooled finite scores; far outliers (see Stats.Range) are folded into the edge bins and a
// note says so. NaN and infinite scores are counted in a note, never drawn.
using System.Globalization;

namespace Latent.Reporting.Plots;

/// <summary>Overlaid histograms of two score distributions (real vs fake test samples) on shared bins, each normalised to fractions of its own sample count so unequal test sets compare, with the decision threshold marked.</summary>
public static class HistogramPlot
{
    public static string Render(ReadOnlySpan<double> real, ReadOnlySpan<double> fake, HistogramPlotOptions? options = null)
    {
        HistogramPlotOptions o = options ?? new HistogramPlotOptions();
        if (o.Bins < 0) throw new ArgumentOutOfRangeException(nameof(options), $"Bins must be positive (or 0 for automatic), got {o.Bins}.");
        (double[] r, string? rNote) = NonFinite.Split(real, o.RealLabel);
        (double[] f, string? fNote) = NonFinite.Split(fake, o.FakeLabel);
        double? threshold = o.Threshold is { } t && double.IsFinite(t) ? t : null;

        var pooled = r.Concat(f).ToList();
        pooled.Sort();
        double lo, hi;
        bool clipped = false;
        if (pooled.Count > 0) (lo, hi, clipped) = Stats.Range(pooled);
        else (lo, hi) = threshold is { } t0 ? (t0 - 1, t0 + 1) : (0, 1);
        if (threshold is { } th) { lo = Math.Min(lo, th); hi = Math.Max(hi, th); }
        if (hi <= lo) { double pad = lo == 0 ? 0.5 : Math.Abs(lo) * 0.05; lo -= pad; hi += pad; }
        int bins = o.Bins > 0 ? o.Bins : Math.Clamp((int)Math.Round(2 * Math.Cbrt(pooled.Count)), 8, 60);
        double width = (hi - lo) / bins;

        double[] rFrac = Fractions(r, lo, width, bins), fFrac = Fractions(f, lo, width, bins);
        double yMax = Math.Max(rFrac.DefaultIfEmpty(0).Max(), fFrac.DefaultIfEmpty(0).Max());
        double[] yTicks = NiceScale.Ticks(0, yMax > 0 ? yMax : 1, 5);
        double yStep = yTicks[1] - yTicks[0];
        double xPad = (hi - lo) * 0.03;
        double[] xAll = NiceScale.Ticks(lo, hi, 7);
        double[] xTicks = xAll.Where(v => v >= lo - xPad && v <= hi + xPad).ToArray();
        double xStep = xAll.Length > 1 ? xAll[1] - xAll[0] : 1;

        var frame = new PlotFrame(o.Width, o.Height, o.Title, yTicks.Select(v => NiceScale.Format(v, yStep)).ToArray());
        frame.SetX(xTicks, lo - xPad, hi + xPad, format: v => NiceScale.Format(v, xStep));
        frame.SetY(yTicks, 0, yTicks[^1], format: v => NiceScale.Format(v, yStep));
        frame.DrawAxes(o.XLabel, o.YLabel);
        var avoid = new List<(double X, double Y)>();
        avoid.AddRange(Bars(frame, rFrac, lo, width, "real", Palette.Real));
        avoid.AddRange(Bars(frame, fFrac, lo, width, "fake", Palette.Fake));

        var legend = new List<LegendEntry>
        {
            new($"{o.RealLabel} (n = {r.Length.ToString(CultureInfo.InvariantCulture)})", Palette.Real, LegendKey.Swatch),
            new($"{o.FakeLabel} (n = {f.Length.ToString(CultureInfo.InvariantCulture)})", Palette.Fake, LegendKey.Swatch),
        };
        if (threshold is { } tv)
        {
            double x = frame.X.Map(tv);
            frame.Svg.OpenGroup("class=\"threshold\"");
            frame.Svg.Line(x, frame.Top, x, frame.Bottom,
                $"stroke=\"{Palette.Threshold}\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\"", $"data-value=\"{PlotFrame.Inv(tv)}\"");
            frame.Svg.CloseGroup();
            legend.Add(new LegendEntry($"threshold {NiceScale.Value(tv)}", Palette.Threshold, LegendKey.Dashed));
        }
        frame.DrawLegend(legend, avoid: avoid);

        if (pooled.Count == 0) frame.AddNote("no finite scores to plot");
        if (clipped)
        {
            int below = pooled.Count(v => v < lo), above = pooled.Count(v => v > hi);
            frame.AddNote(string.Create(CultureInfo.InvariantCulture,
                $"{below + above} outliers (< {NiceScale.Value(lo)} or > {NiceScale.Value(hi)}) counted in the edge bins"));
        }
        frame.AddNote(rNote);
        frame.AddNote(fNote);
        return frame.Finish();
    }

    /// <summary>Per-bin fraction of <paramref name="v"/>; values outside the bins go to the nearest edge bin.</summary>
    public static double[] Fractions(IReadOnlyList<double> v, double lo, double width, int bins)
    {
        var counts = new double[bins];
        foreach (double x in v) counts[Math.Clamp((int)Math.Floor((x - lo) / width), 0, bins - 1)]++;
        if (v.Count > 0) for (int i = 0; i < bins; i++) counts[i] /= v.Count;
        return counts;
    }

    /// <summary>Draws the bars and their outline; returns points inside the bars for legend placement.</summary>
    private static List<(double X, double Y)> Bars(PlotFrame frame, double[] frac, double lo, double width, string cls, string color)
    {
        var covered = new List<(double X, double Y)>();
        if (frac.All(v => v == 0)) return covered;
        var s = frame.Svg;
        s.OpenGroup($"class=\"bars {cls}\" fill=\"{color}\" fill-opacity=\"0.38\"");
        var outline = new List<(double, double)>();
        double y0 = frame.Y.Map(0);
        for (int i = 0; i < frac.Length; i++)
        {
            double x0 = frame.X.Map(lo + i * width), x1 = frame.X.Map(lo + (i + 1) * width), y = frame.Y.Map(frac[i]);
            for (double yy = y; yy < y0; yy += 6) covered.Add(((x0 + x1) / 2, yy));
            if (frac[i] > 0)
                s.Rect(x0, y, x1 - x0, y0 - y, "",
                    $"data-x0=\"{PlotFrame.Inv(lo + i * width)}\" data-x1=\"{PlotFrame.Inv(lo + (i + 1) * width)}\" data-y=\"{PlotFrame.Inv(frac[i])}\"");
            if (i == 0) outline.Add((x0, y0));
            outline.Add((x0, y));
            outline.Add((x1, y));
            if (i == frac.Length - 1) outline.Add((x1, y0));
        }
        s.CloseGroup();
        s.Polyline(outline, $"fill=\"none\" stroke=\"{color}\" stroke-width=\"1.4\" stroke-linejoin=\"round\"", $"class=\"outline {cls}\"");
        return covered;
    }
}

// Per-dimension density strips of latent codes (N, Z): one row per dimension, a histogram density on a shared
// x axis, with mean and standard deviation beside it and, optionally, the standard normal N(0, 1) dashed for
// reference (the prior of a VAE). All strips share one density scale, so heights compare across dimensions.
// At most maxDims strips are drawn (a note says how many were left out); non-finite values are counted.
using System.Globalization;

namespace Latent.Reporting.Plots;

/// <summary>Per-dimension density strips of latent codes (N, Z).</summary>
public static class DensityStripPlot
{
    /// <summary>Strips for latent codes <paramref name="z"/> (n, dims) row-major.</summary>
    public static string Render(ReadOnlySpan<float> z, int n, int dims, string? title = null, bool standardNormal = true,
        int maxDims = 16, int bins = 48, double width = 560)
    {
        if (n < 1 || dims < 1 || (long)n * dims != z.Length)
            throw new ArgumentException($"Latent codes of {n} x {dims} need {(long)n * dims} values, got {z.Length}.", nameof(z));
        if (maxDims < 1 || bins < 2) throw new ArgumentOutOfRangeException(nameof(maxDims), "maxDims must be >= 1 and bins >= 2.");
        int shown = Math.Min(dims, maxDims);
        var columns = new List<double>[shown];
        int bad = 0;
        for (int d = 0; d < shown; d++)
        {
            columns[d] = new List<double>(n);
            for (int i = 0; i < n; i++)
            {
                float v = z[i * dims + d];
                if (float.IsFinite(v)) columns[d].Add(v); else bad++;
            }
        }
        var pooled = columns.SelectMany(c => c).ToList();
        pooled.Sort();
        double lo = -1, hi = 1;
        if (pooled.Count > 0) (lo, hi, _) = Stats.Range(pooled);
        if (standardNormal) { lo = Math.Min(lo, -3); hi = Math.Max(hi, 3); }
        if (hi <= lo) { lo -= 0.5; hi += 0.5; }
        double bw = (hi - lo) / bins;

        var dens = new double[shown][];
        double peak = standardNormal ? 1 / Math.Sqrt(2 * Math.PI) : 0;
        for (int d = 0; d < shown; d++)
        {
            dens[d] = HistogramPlot.Fractions(columns[d], lo, bw, bins).Select(f => f / bw).ToArray();
            if (dens[d].Length > 0) peak = Math.Max(peak, dens[d].Max());
        }
        if (peak <= 0) peak = 1;

        const double strip = 26;
        double[] xt = NiceScale.Ticks(lo, hi, 7).Where(v => v >= lo && v <= hi).ToArray();
        double xs = xt.Length > 1 ? xt[1] - xt[0] : 1;
        double height = (string.IsNullOrEmpty(title) ? 14 : 36) + shown * strip + 50;
        var frame = new PlotFrame(width, height, title, ["z16"], hasYLabel: false, rightMargin: 104);
        frame.SetX(xt, lo, hi, format: v => NiceScale.Format(v, xs));
        frame.SetY([], 0, shown);
        var s = frame.Svg;
        frame.DrawAxes(standardNormal ? "latent value (dashed: standard normal N(0, 1))" : "latent value", null);
        for (int d = 0; d < shown; d++)
        {
            double baseY = frame.Top + (d + 1) * strip - 2, scale = (strip - 4) / peak;
            string color = Palette.Color(d % 2 == 0 ? 0 : 5);
            var poly = new List<(double, double)> { (frame.X.Map(lo), baseY) };
            for (int b = 0; b < bins; b++)
            {
                double yb = baseY - dens[d][b] * scale;
                poly.Add((frame.X.Map(lo + b * bw), yb));
                poly.Add((frame.X.Map(lo + (b + 1) * bw), yb));
            }
            poly.Add((frame.X.Map(hi), baseY));
            s.OpenGroup($"class=\"strip\" data-dim=\"{(d + 1).ToString(CultureInfo.InvariantCulture)}\"");
            s.Line(frame.Left, baseY, frame.Right, baseY, $"stroke=\"{Palette.Grid}\"");
            s.Polygon(poly, $"fill=\"{color}\" fill-opacity=\"0.45\" stroke=\"{color}\" stroke-width=\"1\"");
            if (standardNormal)
            {
                var curve = new List<(double, double)>();
                for (int k = 0; k <= 60; k++)
                {
                    double v = lo + (hi - lo) * k / 60;
                    curve.Add((frame.X.Map(v), baseY - Math.Exp(-0.5 * v * v) / Math.Sqrt(2 * Math.PI) * scale));
                }
                s.Polyline(curve, "fill=\"none\" stroke=\"#1f2430\" stroke-width=\"1\" stroke-dasharray=\"3 2\"");
            }
            s.Text(frame.Left - 8, baseY - 6, "z" + (d + 1).ToString(CultureInfo.InvariantCulture), "tick", "end");
            (double mean, double sd) = Stats.MeanStd(columns[d]);
            string stat = columns[d].Count == 0 ? "no finite values"
                : $"\u03BC {mean.ToString("0.00", CultureInfo.InvariantCulture)}  \u03C3 {sd.ToString("0.00", CultureInfo.InvariantCulture)}";
            s.Text(frame.Right + 8, baseY - 6, stat, "tick");
            s.CloseGroup();
        }
        if (dims > shown) frame.AddNote(string.Create(CultureInfo.InvariantCulture, $"first {shown} of {dims} dimensions shown"));
        if (bad > 0) frame.AddNote(string.Create(CultureInfo.InvariantCulture, $"{bad} NaN or infinite values not shown"));
        return frame.Finish();
    }
}

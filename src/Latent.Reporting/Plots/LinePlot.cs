// Line plot, one line per series with a marker at every point (e.g. balanced error against latent size,
// one line per score). With few distinct x values (latent sizes) the ticks sit at those values; a log
// x axis is chosen automatically when they span a factor of 8 or more. Non-finite points break the line
// and are counted in a note.
using System.Globalization;

namespace Latent.Reporting.Plots;

/// <summary>Line plot, one line per series with a marker at every point (e.g. balanced error against latent size, one line per score).</summary>
public static class LinePlot
{
    public static string Render(IReadOnlyList<LineSeries> series, LinePlotOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(series);
        LinePlotOptions o = options ?? new LinePlotOptions();
        var notes = new List<string>();
        foreach (LineSeries ls in series)
            if (ls.X.Length != ls.Y.Length)
                throw new ArgumentException($"Series '{ls.Name}' has {ls.X.Length} x values but {ls.Y.Length} y values.", nameof(series));

        var xs = new List<double>();
        var ys = new List<double>();
        foreach (LineSeries ls in series)
        {
            int bad = 0;
            for (int i = 0; i < ls.X.Length; i++)
            {
                if (double.IsFinite(ls.X[i]) && double.IsFinite(ls.Y[i])) { xs.Add(ls.X[i]); ys.Add(ls.Y[i]); }
                else bad++;
            }
            if (bad > 0) notes.Add(string.Create(CultureInfo.InvariantCulture, $"{ls.Name}: {bad} point(s) with NaN or infinite values not shown"));
        }
        if (xs.Count == 0) { notes.Add("no finite points to plot"); xs.AddRange([0, 1]); ys.AddRange([0, 1]); }

        double xMin = xs.Min(), xMax = xs.Max();
        foreach (double x in series.SelectMany(l => l.X).Where(double.IsFinite)) { xMin = Math.Min(xMin, x); xMax = Math.Max(xMax, x); }
        bool log = o.XAxis == AxisKind.Log || (o.XAxis == AxisKind.Auto && xMin > 0 && xMax / xMin >= 8);
        if (log && xMin <= 0) throw new ArgumentException($"A log x axis needs positive x values; the smallest is {xMin}.", nameof(series));
        // Ticks at every x that has a point, including points whose y is missing (the note names them).
        double[] distinct = xs.Concat(series.SelectMany(l => l.X).Where(double.IsFinite)).Distinct().Order().ToArray();
        double[] xTicks;
        double xStep;
        if (distinct.Length <= 12)
        {
            xTicks = distinct;
            xStep = distinct.Length > 1 ? distinct.Zip(distinct.Skip(1), (a, b) => b - a).Min() : 1;
        }
        else if (log)
        {
            xTicks = Enumerable.Range((int)Math.Floor(Math.Log2(xMin)), (int)Math.Ceiling(Math.Log2(xMax)) - (int)Math.Floor(Math.Log2(xMin)) + 1)
                .Select(e => Math.Pow(2, e)).ToArray();
            xStep = 1;
        }
        else
        {
            xTicks = NiceScale.Ticks(xMin, xMax, 7);
            xStep = xTicks[1] - xTicks[0];
        }
        double x0, x1;
        if (log) { double f = Math.Pow(xMax / xMin, 0.04); x0 = xMin / f; x1 = xMax * f; if (x1 == x0) { x0 /= 2; x1 *= 2; } }
        else { double pad = (xMax - xMin) * 0.04; if (pad == 0) pad = xMin == 0 ? 0.5 : Math.Abs(xMin) * 0.1; x0 = xMin - pad; x1 = xMax + pad; }
        x0 = Math.Min(x0, xTicks[0]);
        x1 = Math.Max(x1, xTicks[^1]);

        double yLo = o.IncludeZero ? Math.Min(0, ys.Min()) : ys.Min(), yHi = o.IncludeZero ? Math.Max(0, ys.Max()) : ys.Max();
        double[] yTicks = NiceScale.Ticks(yLo, yHi, 6);
        double yStep = yTicks[1] - yTicks[0];

        var frame = new PlotFrame(o.Width, o.Height, o.Title, yTicks.Select(v => NiceScale.Format(v, yStep)).ToArray());
        frame.SetX(xTicks, x0, x1, log, v => NiceScale.Format(v, xStep));
        frame.SetY(yTicks, yTicks[0], yTicks[^1], format: v => NiceScale.Format(v, yStep));
        frame.DrawAxes(o.XLabel, o.YLabel);
        var legend = new List<LegendEntry>();
        var avoid = new List<(double X, double Y)>();
        for (int k = 0; k < series.Count; k++)
        {
            LineSeries ls = series[k];
            string color = Palette.Color(k), dash = Palette.Dash(k);
            var order = Enumerable.Range(0, ls.X.Length).Where(i => double.IsFinite(ls.X[i])).OrderBy(i => ls.X[i]).ToArray();
            frame.Svg.OpenGroup($"class=\"series\" data-name=\"{Svg.SvgBuilder.Escape(ls.Name)}\"");
            var run = new List<(double, double)>();
            foreach (int i in order)
            {
                if (!double.IsFinite(ls.Y[i])) { Flush(); continue; }
                run.Add((frame.X.Map(ls.X[i]), frame.Y.Map(ls.Y[i])));
            }
            Flush();
            foreach (int i in order.Where(i => double.IsFinite(ls.Y[i])))
                frame.Svg.Circle(frame.X.Map(ls.X[i]), frame.Y.Map(ls.Y[i]), 3.2, $"fill=\"{color}\" stroke=\"#ffffff\" stroke-width=\"1\"",
                    $"data-x=\"{PlotFrame.Inv(ls.X[i])}\" data-y=\"{PlotFrame.Inv(ls.Y[i])}\"");
            frame.Svg.CloseGroup();
            legend.Add(new LegendEntry(ls.Name, color, LegendKey.Line, dash));

            void Flush()
            {
                avoid.AddRange(PlotFrame.Densify(run));
                frame.Svg.Polyline(run, $"fill=\"none\" stroke=\"{color}\" stroke-width=\"2\" stroke-linejoin=\"round\"" + (dash.Length > 0 ? $" stroke-dasharray=\"{dash}\"" : ""));
                run.Clear();
            }
        }
        frame.DrawLegend(legend, avoid: avoid);
        foreach (string n in notes) frame.AddNote(n);
        return frame.Finish();
    }
}

// Scatter plot with a colour per class (e.g. a 2-D latent space coloured by digit). Large inputs are thinned
// to at most maxPoints by a fixed stride (deterministic), and the note says so; non-finite points are counted.
using System.Globalization;

namespace Latent.Reporting.Plots;

/// <summary>Scatter plot with a colour per class (e.g. a 2-D latent space coloured by digit).</summary>
public static class ScatterPlot
{
    /// <summary>Points (x[i], y[i]) coloured by classes[i] (0-based); classNames[k] labels class k in the legend.</summary>
    public static string Render(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<int> classes,
        IReadOnlyList<string>? classNames = null, string? title = null, string xLabel = "z1", string yLabel = "z2",
        int maxPoints = 4000, double width = 460, double height = 420)
    {
        if (x.Length != y.Length || x.Length != classes.Length)
            throw new ArgumentException($"x, y and classes must have the same length, got {x.Length}, {y.Length}, {classes.Length}.");
        if (maxPoints < 1) throw new ArgumentOutOfRangeException(nameof(maxPoints), $"maxPoints must be positive, got {maxPoints}.");
        double[] px = x.ToArray(), py = y.ToArray();
        int[] pc = classes.ToArray();
        var idx = new List<int>();
        int bad = 0;
        for (int i = 0; i < x.Length; i++)
        {
            if (pc[i] < 0) throw new ArgumentException($"Class labels must be non-negative; point {i} has {pc[i]}.", nameof(classes));
            if (double.IsFinite(px[i]) && double.IsFinite(py[i])) idx.Add(i); else bad++;
        }
        int stride = (idx.Count + maxPoints - 1) / Math.Max(1, maxPoints);
        if (stride > 1) idx = idx.Where((_, k) => k % stride == 0).ToList();

        double xMin = 0, xMax = 1, yMin = 0, yMax = 1;
        if (idx.Count > 0)
        {
            xMin = idx.Min(i => px[i]); xMax = idx.Max(i => px[i]);
            yMin = idx.Min(i => py[i]); yMax = idx.Max(i => py[i]);
        }
        double[] xt = NiceScale.Ticks(xMin, xMax, 6), yt = NiceScale.Ticks(yMin, yMax, 6);
        double xs = xt[1] - xt[0], ys = yt[1] - yt[0];
        var frame = new PlotFrame(width, height, title, yt.Select(v => NiceScale.Format(v, ys)).ToArray());
        frame.SetX(xt, xt[0], xt[^1], format: v => NiceScale.Format(v, xs));
        frame.SetY(yt, yt[0], yt[^1], format: v => NiceScale.Format(v, ys));
        frame.DrawAxes(xLabel, yLabel);

        int classCount = idx.Count == 0 ? 0 : idx.Max(i => pc[i]) + 1;
        var legend = new List<LegendEntry>();
        for (int c = 0; c < classCount; c++)
        {
            string color = Palette.Color(c);
            var members = idx.Where(i => pc[i] == c).ToList();
            if (members.Count == 0) continue;
            frame.Svg.OpenGroup($"class=\"points\" data-class=\"{c.ToString(CultureInfo.InvariantCulture)}\" fill=\"{color}\" fill-opacity=\"0.6\"");
            foreach (int i in members) frame.Svg.Circle(frame.X.Map(px[i]), frame.Y.Map(py[i]), 2.4, "");
            frame.Svg.CloseGroup();
            string name = classNames is not null && c < classNames.Count ? classNames[c] : c.ToString(CultureInfo.InvariantCulture);
            legend.Add(new LegendEntry(name, color, LegendKey.Dot));
        }
        frame.DrawLegend(legend, avoid: idx.Select(i => (frame.X.Map(px[i]), frame.Y.Map(py[i]))).ToList());
        if (idx.Count == 0) frame.AddNote("no finite points to plot");
        if (stride > 1) frame.AddNote(string.Create(CultureInfo.InvariantCulture, $"every {stride}th point shown ({idx.Count} of {px.Length - bad})"));
        if (bad > 0) frame.AddNote(string.Create(CultureInfo.InvariantCulture, $"{bad} point(s) with NaN or infinite coordinates not shown"));
        return frame.Finish();
    }
}

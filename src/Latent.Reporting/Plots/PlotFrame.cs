// The common frame of every plot: title, plot area, grid, axes with ticks and labels, legend, and notes
// (warnings such as left-out NaN values) below the axes. Ticks carry data-value attributes so tests can
// recover the data-to-pixel mapping from the SVG itself.
using System.Globalization;
using Latent.Reporting.Svg;

namespace Latent.Reporting.Plots;

internal sealed class PlotFrame
{
    private const double NoteLine = 15;
    private readonly List<string> _notes = [];
    private double[] _xTicks = [], _yTicks = [];
    private Func<double, string> _xFormat = v => v.ToString(CultureInfo.InvariantCulture);
    private Func<double, string> _yFormat = v => v.ToString(CultureInfo.InvariantCulture);

    public PlotFrame(double width, double height, string? title, string[] yTickLabelsForWidth, bool hasYLabel = true, double rightMargin = 18)
    {
        Svg = new SvgBuilder(width, height);
        Title = title;
        int longest = yTickLabelsForWidth.Length == 0 ? 3 : yTickLabelsForWidth.Max(s => s.Length);
        Left = 14 + (hasYLabel ? 18 : 0) + 6.3 * longest;
        Top = string.IsNullOrEmpty(title) ? 14 : 36;
        Right = width - rightMargin;
        Bottom = height - 44;
    }

    public SvgBuilder Svg { get; }
    public string? Title { get; }
    public double Left { get; }
    public double Top { get; }
    public double Right { get; }
    public double Bottom { get; }
    public AxisScale X { get; private set; } = null!;
    public AxisScale Y { get; private set; } = null!;

    public void AddNote(string? note)
    {
        if (!string.IsNullOrEmpty(note)) _notes.Add(note);
    }

    public void SetX(double[] ticks, double min, double max, bool log = false, Func<double, string>? format = null)
    {
        _xTicks = ticks;
        X = new AxisScale(min, max, Left, Right, log);
        if (format is not null) _xFormat = format;
    }

    public void SetY(double[] ticks, double min, double max, bool log = false, Func<double, string>? format = null)
    {
        _yTicks = ticks;
        Y = new AxisScale(min, max, Bottom, Top, log);
        if (format is not null) _yFormat = format;
    }

    /// <summary>Background, grid lines, tick marks and labels, axis labels and the title.</summary>
    public void DrawAxes(string? xLabel, string? yLabel)
    {
        SvgBuilder s = Svg;
        s.Rect(0, 0, s.Width, s.Height, "fill=\"#ffffff\"");
        if (!string.IsNullOrEmpty(Title)) s.Text(Left, 22, Title, "title");
        s.OpenGroup("class=\"grid\"");
        foreach (double t in _xTicks) s.Line(X.Map(t), Top, X.Map(t), Bottom, $"stroke=\"{Palette.Grid}\"");
        foreach (double t in _yTicks) s.Line(Left, Y.Map(t), Right, Y.Map(t), $"stroke=\"{Palette.Grid}\"");
        s.CloseGroup();
        s.OpenGroup("class=\"xticks\"");
        foreach (double t in _xTicks)
        {
            double x = X.Map(t);
            s.Line(x, Bottom, x, Bottom + 5, $"stroke=\"{Palette.Axis}\"", $"data-value=\"{Inv(t)}\"");
            s.Text(x, Bottom + 17, _xFormat(t), "tick", "middle");
        }
        s.CloseGroup();
        s.OpenGroup("class=\"yticks\"");
        foreach (double t in _yTicks)
        {
            double y = Y.Map(t);
            s.Line(Left - 5, y, Left, y, $"stroke=\"{Palette.Axis}\"", $"data-value=\"{Inv(t)}\"");
            s.Text(Left - 8, y + 3.8, _yFormat(t), "tick", "end");
        }
        s.CloseGroup();
        s.Line(Left, Bottom, Right, Bottom, $"stroke=\"{Palette.Axis}\"");
        s.Line(Left, Top, Left, Bottom, $"stroke=\"{Palette.Axis}\"");
        if (!string.IsNullOrEmpty(xLabel)) s.Text((Left + Right) / 2, Bottom + 36, xLabel, "label", "middle");
        if (!string.IsNullOrEmpty(yLabel)) s.Text(14, (Top + Bottom) / 2, yLabel, "label", "middle", -90);
    }

    /// <summary>
    /// A legend box in a corner of the plot area: the first of top-right, top-left, bottom-right, bottom-left
    /// (bottom-right first when <paramref name="bottom"/>) that covers the fewest of the <paramref name="avoid"/>
    /// pixel positions (the plotted data).
    /// </summary>
    public void DrawLegend(IReadOnlyList<LegendEntry> entries, bool bottom = false, IReadOnlyList<(double X, double Y)>? avoid = null)
    {
        if (entries.Count == 0) return;
        SvgBuilder s = Svg;
        double w = 34 + 6.4 * entries.Max(e => e.Label.Length), h = 8 + 17 * entries.Count;
        (double X, double Y)[] corners =
        [
            (Right - w - 8, Top + 8), (Left + 8, Top + 8), (Right - w - 8, Bottom - h - 8), (Left + 8, Bottom - h - 8),
        ];
        if (bottom) corners = [corners[2], corners[3], corners[0], corners[1]];
        (double x, double y) = corners[0];
        if (avoid is { Count: > 0 })
        {
            int best = int.MaxValue;
            foreach ((double cx, double cy) in corners)
            {
                int covered = avoid.Count(p => p.X >= cx - 4 && p.X <= cx + w + 4 && p.Y >= cy - 4 && p.Y <= cy + h + 4);
                if (covered < best) { best = covered; (x, y) = (cx, cy); }
            }
        }
        s.OpenGroup("class=\"legend\"");
        s.Rect(x, y, w, h, "fill=\"#ffffff\" fill-opacity=\"0.88\" stroke=\"#d5d9e0\" rx=\"3\"");
        for (int i = 0; i < entries.Count; i++)
        {
            LegendEntry e = entries[i];
            double cy = y + 13 + 17 * i;
            switch (e.Key)
            {
                case LegendKey.Swatch:
                    s.Rect(x + 8, cy - 5, 16, 10, $"fill=\"{e.Color}\" fill-opacity=\"0.45\" stroke=\"{e.Color}\"");
                    break;
                case LegendKey.Dot:
                    s.Circle(x + 16, cy, 3.5, $"fill=\"{e.Color}\"");
                    break;
                case LegendKey.Ring:
                    s.Circle(x + 16, cy, 3.5, $"fill=\"#ffffff\" stroke=\"{e.Color}\" stroke-width=\"2\"");
                    break;
                default:
                    string dash = e.Key == LegendKey.Dashed ? "5 3" : e.Dash;
                    s.Line(x + 7, cy, x + 25, cy, $"stroke=\"{e.Color}\" stroke-width=\"2\"" + (dash.Length > 0 ? $" stroke-dasharray=\"{dash}\"" : ""));
                    break;
            }
            s.Text(x + 30, cy + 4, e.Label, "legend");
        }
        s.CloseGroup();
    }

    /// <summary>Points along a polyline every few pixels, so a legend can avoid the line between its vertices.</summary>
    public static IEnumerable<(double X, double Y)> Densify(IReadOnlyList<(double X, double Y)> line, double step = 4)
    {
        for (int i = 0; i + 1 < line.Count; i++)
        {
            (double x0, double y0) = line[i];
            (double x1, double y1) = line[i + 1];
            int n = Math.Max(1, (int)(Math.Sqrt((x1 - x0) * (x1 - x0) + (y1 - y0) * (y1 - y0)) / step));
            for (int k = 0; k < n; k++) yield return (x0 + (x1 - x0) * k / n, y0 + (y1 - y0) * k / n);
        }
        if (line.Count > 0) yield return line[^1];
    }

    /// <summary>Closes the plot: notes are appended below the axes (the document grows to fit them).</summary>
    public string Finish()
    {
        if (_notes.Count > 0)
        {
            double y0 = Svg.Height + 2;
            Svg.Height += NoteLine * _notes.Count + 4;
            Svg.OpenGroup("class=\"notes\"");
            Svg.Rect(0, y0 - 6, Svg.Width, NoteLine * _notes.Count + 8, "fill=\"#ffffff\"");
            for (int i = 0; i < _notes.Count; i++) Svg.Text(Left, y0 + 8 + NoteLine * i, "\u26A0 " + _notes[i], "note");
            Svg.CloseGroup();
        }
        return Svg.ToString();
    }

    public static string Inv(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}

// Minimal SVG 1.1 writer: shapes and text with invariant number formatting (two decimals, '.' separator)
// and XML escaping, so every document is well-formed whatever the data and the machine's culture.
// Reference: SVG 1.1 (W3C), chapters 9 (shapes), 10 (text). Callers pass finite coordinates only;
// a NaN or infinity here is a bug in the plot and throws.
using System.Globalization;
using System.Text;

namespace Latent.Reporting.Svg;

/// <summary>Minimal SVG 1.1 writer: shapes and text with invariant number formatting (two decimals, '.' separator) and XML escaping, so every document is well-formed whatever the data and the machine's culture.</summary>
public sealed class SvgBuilder
{
    private readonly StringBuilder _sb = new();
    private int _openGroups;

    public SvgBuilder(double width, double height)
    {
        Width = width;
        Height = height;
    }

    public double Width { get; }
    public double Height { get; set; }

    /// <summary>A coordinate or length: at most two decimals, invariant culture, no "-0".</summary>
    public static string Num(double v)
    {
        if (!double.IsFinite(v)) throw new ArgumentException($"SVG coordinates must be finite, got {v}.", nameof(v));
        string s = Math.Round(v, 2).ToString("0.##", CultureInfo.InvariantCulture);
        return s == "-0" ? "0" : s;
    }

    /// <summary>Text with the five XML special characters escaped, and control characters removed.</summary>
    public static string Escape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var sb = new StringBuilder(text.Length);
        foreach (char c in text)
        {
            switch (c)
            {
                case '<': sb.Append("&lt;"); break;
                case '>': sb.Append("&gt;"); break;
                case '&': sb.Append("&amp;"); break;
                case '"': sb.Append("&quot;"); break;
                case '\'': sb.Append("&#39;"); break;
                default:
                    if (c >= ' ' || c == '\t') sb.Append(c);
                    break;
            }
        }
        return sb.ToString();
    }

    public SvgBuilder Raw(string markup)
    {
        _sb.Append(markup).Append('\n');
        return this;
    }

    /// <summary>Opens a group; <paramref name="attributes"/> is trusted markup such as class="bars real".</summary>
    public SvgBuilder OpenGroup(string attributes)
    {
        _openGroups++;
        return Raw($"<g {attributes}>");
    }

    public SvgBuilder CloseGroup()
    {
        if (_openGroups == 0) throw new InvalidOperationException("CloseGroup without a matching OpenGroup.");
        _openGroups--;
        return Raw("</g>");
    }

    public SvgBuilder Rect(double x, double y, double w, double h, string style, string extra = "") =>
        Raw($"<rect x=\"{Num(x)}\" y=\"{Num(y)}\" width=\"{Num(Math.Max(0, w))}\" height=\"{Num(Math.Max(0, h))}\" {style}{Sep(extra)}/>");

    public SvgBuilder Line(double x1, double y1, double x2, double y2, string style, string extra = "") =>
        Raw($"<line x1=\"{Num(x1)}\" y1=\"{Num(y1)}\" x2=\"{Num(x2)}\" y2=\"{Num(y2)}\" {style}{Sep(extra)}/>");

    public SvgBuilder Circle(double cx, double cy, double r, string style, string extra = "") =>
        Raw($"<circle cx=\"{Num(cx)}\" cy=\"{Num(cy)}\" r=\"{Num(r)}\" {style}{Sep(extra)}/>");

    /// <summary>A polyline through the points; nothing is written for fewer than two points.</summary>
    public SvgBuilder Polyline(IReadOnlyList<(double X, double Y)> points, string style, string extra = "")
    {
        if (points.Count < 2) return this;
        var sb = new StringBuilder();
        foreach ((double x, double y) in points) sb.Append(Num(x)).Append(',').Append(Num(y)).Append(' ');
        return Raw($"<polyline points=\"{sb.ToString().TrimEnd()}\" {style}{Sep(extra)}/>");
    }

    /// <summary>A closed polygon (e.g. a filled density).</summary>
    public SvgBuilder Polygon(IReadOnlyList<(double X, double Y)> points, string style, string extra = "")
    {
        if (points.Count < 3) return this;
        var sb = new StringBuilder();
        foreach ((double x, double y) in points) sb.Append(Num(x)).Append(',').Append(Num(y)).Append(' ');
        return Raw($"<polygon points=\"{sb.ToString().TrimEnd()}\" {style}{Sep(extra)}/>");
    }

    /// <summary>Text at (x, y) baseline; anchor is start, middle or end; rotate in degrees about (x, y).</summary>
    public SvgBuilder Text(double x, double y, string text, string cls, string anchor = "start", double rotate = 0)
    {
        string transform = rotate == 0 ? "" : $" transform=\"rotate({Num(rotate)} {Num(x)} {Num(y)})\"";
        return Raw($"<text x=\"{Num(x)}\" y=\"{Num(y)}\" class=\"{cls}\" text-anchor=\"{anchor}\"{transform}>{Escape(text)}</text>");
    }

    /// <summary>The complete document: XML-safe, standalone, with a viewBox so it scales.</summary>
    public override string ToString()
    {
        if (_openGroups != 0) throw new InvalidOperationException($"{_openGroups} group(s) left open.");
        var doc = new StringBuilder();
        doc.Append($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Num(Width)}\" height=\"{Num(Height)}\" ")
           .Append($"viewBox=\"0 0 {Num(Width)} {Num(Height)}\" font-family=\"'Helvetica Neue', Helvetica, Arial, 'DejaVu Sans', sans-serif\">\n")
           .Append("<style>")
           .Append(".title{font-size:14px;font-weight:600;fill:#1f2430}.label{font-size:12.5px;fill:#333a45}")
           .Append(".tick{font-size:11px;fill:#5b6270}.legend{font-size:11.5px;fill:#1f2430}")
           .Append(".note{font-size:11px;fill:#9a5b00}.annot{font-size:11px;fill:#1f2430}")
           .Append("</style>\n")
           .Append(_sb)
           .Append("</svg>\n");
        return doc.ToString();
    }

    private static string Sep(string extra) => extra.Length == 0 ? "" : " " + extra;
}

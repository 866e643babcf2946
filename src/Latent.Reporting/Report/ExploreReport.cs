// The HTML report of `latent explore`: a title, then sections of figures (PNG grids and SVG plots as data: URIs),
// tables and notes, in the order they were added. Self-contained like the class-modelling report (ReportHtml): the
// stylesheet is ReportStyle's, inline; no script, no web font, no network. Written atomically (Latent.IO.AtomicFile).
using System.Globalization;
using System.Net;
using System.Text;
using Latent.IO;

namespace Latent.Reporting.Report;

/// <summary>The HTML report of `latent explore`: a title, then sections of figures (PNG grids and SVG plots as data: URIs), tables and notes, in the order they were added.</summary>
public sealed class ExploreReport
{
    private readonly StringBuilder _body = new();

    public ExploreReport(string title, string meta)
    {
        Title = title;
        Meta = meta;
    }

    public string Title { get; }
    public string Meta { get; }

    private static string H(string s) => WebUtility.HtmlEncode(s);

    /// <summary>Starts a section with a heading and an optional note.</summary>
    public ExploreReport Section(string heading, string? note = null)
    {
        _body.Append(CultureInfo.InvariantCulture, $"<h2>{H(heading)}</h2>\n");
        if (note is not null) _body.Append(CultureInfo.InvariantCulture, $"<p class=\"muted\">{H(note)}</p>\n");
        return this;
    }

    /// <summary>A PNG image grid shown at its pixel size, with a caption; <paramref name="file"/> names the PNG beside the report.</summary>
    public ExploreReport Png(string caption, byte[] png, int width, int height, string file)
    {
        ArgumentNullException.ThrowIfNull(png);
        _body.Append(CultureInfo.InvariantCulture, $"<figure class=\"grid\"><figcaption>{H(caption)}</figcaption>")
             .Append(CultureInfo.InvariantCulture,
                $"<img class=\"pixels\" src=\"data:image/png;base64,{Convert.ToBase64String(png)}\" width=\"{width}\" height=\"{height}\" alt=\"{H(caption)}\" data-file=\"{H(file)}\"></figure>\n");
        return this;
    }

    /// <summary>An SVG plot with a caption.</summary>
    public ExploreReport Svg(string caption, string svg, string file)
    {
        ArgumentNullException.ThrowIfNull(svg);
        string uri = "data:image/svg+xml;base64," + Convert.ToBase64String(Encoding.UTF8.GetBytes(svg));
        _body.Append(CultureInfo.InvariantCulture, $"<figure class=\"plot\"><figcaption>{H(caption)}</figcaption><img src=\"{uri}\" alt=\"{H(caption)}\" data-file=\"{H(file)}\"></figure>\n");
        return this;
    }

    /// <summary>A table of text cells.</summary>
    public ExploreReport Table(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(rows);
        _body.Append("<table class=\"results\"><thead><tr>");
        foreach (string h in header) _body.Append(CultureInfo.InvariantCulture, $"<th>{H(h)}</th>");
        _body.Append("</tr></thead><tbody>\n");
        foreach (var r in rows)
        {
            _body.Append("<tr>");
            foreach (string c in r) _body.Append(CultureInfo.InvariantCulture, $"<td>{H(c)}</td>");
            _body.Append("</tr>\n");
        }
        _body.Append("</tbody></table>\n");
        return this;
    }

    /// <summary>A paragraph of text.</summary>
    public ExploreReport Note(string text)
    {
        _body.Append(CultureInfo.InvariantCulture, $"<p>{H(text)}</p>\n");
        return this;
    }

    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
          .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
          .Append(CultureInfo.InvariantCulture, $"<title>{H(Title)}</title>\n<style>\n{ReportStyle.Css}\nfigure.plot img {{ max-width: 100%; height: auto; }}\n</style>\n</head>\n<body>\n")
          .Append(CultureInfo.InvariantCulture, $"<header class=\"top\"><div class=\"wrap\"><div class=\"brand\">Latent explore</div><h1>{H(Title)}</h1><p class=\"meta\">{H(Meta)}</p></div></header>\n")
          .Append("<main class=\"wrap\">\n").Append(_body).Append("</main>\n</body>\n</html>\n");
        return sb.ToString();
    }

    /// <summary>Writes the report to <paramref name="path"/> (a temporary renamed into place).</summary>
    public void Save(string path)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(ToString());
        AtomicFile.Write(path, s => s.Write(bytes));
    }
}

// The HTML of a class-modelling report: header, key figures, a table of contents, settings, results table,
// galleries (the most novel normal images, the most normal-looking anomalies), error-vs-latent plots, test images
// with reconstructions, per-result score histograms and ROC curves (collapsed behind the results table, whose
// score links open them), captioned latent-space plots, and a list of the files beside it. Self-contained: plots and images are data: URIs, the stylesheet is inline
// (ReportStyle), no script, no web font, no network.
using System.Globalization;
using System.Net;
using System.Text;
using Latent.Reporting.Plots;

namespace Latent.Reporting.Report;

internal sealed class ReportHtml
{
    private readonly ClassModelReport _report;
    private readonly StringBuilder _errorPlots = new(), _images = new(), _rows = new(), _latents = new(), _galleries = new(), _cards = new();
    private readonly List<string> _anchors = []; // per row, in order: the id of its card

    public ReportHtml(ClassModelReport report) => _report = report;

    private static string H(string s) => WebUtility.HtmlEncode(s);

    private static string SvgUri(string svg) => "data:image/svg+xml;base64," + Convert.ToBase64String(Encoding.UTF8.GetBytes(svg));

    private static string Figure(string path, string svg, string alt, string cls = "plot") =>
        $"<figure class=\"{cls}\"><img src=\"{SvgUri(svg)}\" alt=\"{H(alt)}\" data-file=\"{H(path)}\"></figure>";

    public void AddLatentSizePlot(string alt, string path, string svg) =>
        _errorPlots.Append(Figure(path, svg, alt, "plot wide")).Append('\n');

    public void AddImageGrid(string which, string path, byte[] png, int width, int height, int shown, int recs)
    {
        string caption = recs == 0
            ? $"The first {shown} {which} test images."
            : $"Top row: the first {shown} {which} test images; below, each model's reconstruction of them.";
        _images.Append(CultureInfo.InvariantCulture,
            $"<figure class=\"grid\"><figcaption><b>{(which == "real" ? "Real" : "Fake")}</b> {H(caption)}</figcaption>")
            .Append(CultureInfo.InvariantCulture,
            $"<img class=\"pixels\" src=\"data:image/png;base64,{Convert.ToBase64String(png)}\" width=\"{width}\" height=\"{height}\" alt=\"{H(which)} test images\" data-file=\"{H(path)}\"></figure>\n");
    }

    public void AddRow(ClassModelRow row, string anchor, string? histPath, string? hist, string? rocPath, string? roc)
    {
        _anchors.Add("r" + anchor);
        _rows.Append(CultureInfo.InvariantCulture, $"<article class=\"card\" id=\"r{H(anchor)}\">")
             .Append(CultureInfo.InvariantCulture, $"<h3>{H(row.Caption)} <span class=\"pair\">{H(row.Real)} vs {H(row.Fake)}</span></h3>")
             .Append(CultureInfo.InvariantCulture,
                $"<p class=\"figs\"><span>balanced error <b>{Pct(row.BalancedError)}</b>{Interval(row)}</span><span>pooled error <b>{Pct(row.PooledError)}</b></span>")
             .Append(CultureInfo.InvariantCulture,
                $"<span>AUROC <b>{Num(row.Auroc, "0.0000")}</b></span><span>threshold <b>{Threshold(row.Threshold)}</b></span></p>")
             .Append("<div class=\"plots\">");
        if (hist is not null) _rows.Append(Figure(histPath!, hist, $"Histogram of real and fake scores, {row.Caption}"));
        if (roc is not null) _rows.Append(Figure(rocPath!, roc, $"ROC curve, {row.Caption}", "plot roc"));
        if (hist is null && roc is null) _rows.Append("<p class=\"muted\">No test scores were given for this result.</p>");
        _rows.Append("</div></article>\n");
    }

    public void AddGallery(Gallery g, string path, byte[] png, int width, int height)
    {
        string scores = string.Join(", ", g.Scores.Select(v => H(NiceScale.Value(v))));
        _galleries.Append(CultureInfo.InvariantCulture, $"<figure class=\"grid\" id=\"{H(g.Id)}\"><figcaption><b>{H(g.Title)}</b> {H(g.Caption)} <span class=\"muted\">Scores: {scores}.</span></figcaption>")
            .Append(CultureInfo.InvariantCulture,
            $"<img class=\"pixels\" src=\"data:image/png;base64,{Convert.ToBase64String(png)}\" width=\"{width}\" height=\"{height}\" alt=\"{H(g.Title)}\" data-file=\"{H(path)}\"></figure>\n");
    }

    public void AddLatent(LatentCodes z, string stripsPath, string strips, string? scatterPath, string? scatter)
    {
        _latents.Append(CultureInfo.InvariantCulture, $"<p class=\"latent-caption\"><b>{H(z.Name)}</b>: {H(LatentCaption(z))}</p>")
            .Append("<div class=\"plots\">").Append(Figure(stripsPath, strips, $"Latent dimension densities, {z.Name}"));
        if (scatter is not null) _latents.Append(Figure(scatterPath!, scatter, $"Latent space scatter, {z.Name}"));
        _latents.Append("</div>\n");
    }

    /// <summary>What the latent plots of <paramref name="z"/> show, in words.</summary>
    private static string LatentCaption(LatentCodes z)
    {
        string who = z.ClassNames is { Count: > 0 } names ? string.Join(" and ", names) : "test images";
        string strips = $"the density of each of the {z.Dims.ToString(CultureInfo.InvariantCulture)} latent dimensions over {z.Count.ToString(CultureInfo.InvariantCulture)} codes of {who}";
        return z.Dims == 2 && z.Classes is not null
            ? $"left, {strips}; right, each image's code as a dot (dimension 1 across, dimension 2 up), coloured by class: normal images far from the others' codes are what the latent scores detect."
            : $"{strips}, one strip per dimension.";
    }

    public void AddCard(ReportCard card, string? path)
    {
        _cards.Append(CultureInfo.InvariantCulture, $"<article class=\"card\"><h3>{H(card.Title)} <span class=\"pair\">{H(card.Subtitle)}</span></h3>");
        if (card.Png is not null)
            _cards.Append(CultureInfo.InvariantCulture,
                $"<img class=\"pixels\" src=\"data:image/png;base64,{Convert.ToBase64String(card.Png)}\" width=\"{card.PngWidth}\" height=\"{card.PngHeight}\" alt=\"{H(card.Alt)}\" data-file=\"{H(path ?? "")}\">");
        foreach (string line in card.Lines) _cards.Append(CultureInfo.InvariantCulture, $"<p>{H(line)}</p>");
        _cards.Append("</article>\n");
    }

    private static string Pct(double fraction) => double.IsFinite(fraction)
        ? (100 * fraction).ToString("0.00", CultureInfo.InvariantCulture) + "&#8239;%"
        : "<span title=\"not a number\">&#8212;</span>";

    private static string Num(double v, string format) => double.IsFinite(v)
        ? v.ToString(format, CultureInfo.InvariantCulture)
        : "<span title=\"not a number\">&#8212;</span>";

    private static string Threshold(double t) =>
        double.IsNaN(t) ? "<span title=\"not a number\">&#8212;</span>" : H(NiceScale.Value(t));

    public string ToString(IReadOnlyList<string> files)
    {
        var r = _report;
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
          .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
          .Append("<meta name=\"generator\" content=\"Latent\">\n")
          .Append(CultureInfo.InvariantCulture, $"<title>{H(r.Title)}</title>\n<style>\n{ReportStyle.Css}</style>\n</head>\n<body>\n");
        sb.Append("<header class=\"top\"><div class=\"wrap\"><div class=\"brand\">Latent &#183; class modelling report</div>")
          .Append(CultureInfo.InvariantCulture, $"<h1>{H(r.Title)}</h1><p class=\"meta\">");
        if (r.CreatedAt is { } t) sb.Append(CultureInfo.InvariantCulture, $"{t.UtcDateTime:yyyy-MM-dd HH:mm} UTC &#183; ");
        sb.Append(CultureInfo.InvariantCulture, $"{r.Rows.Count} result{(r.Rows.Count == 1 ? "" : "s")}</p></div></header>\n<main class=\"wrap\">\n");

        KeyFigures(sb);
        Contents(sb);
        if (r.Settings.Count > 0)
        {
            sb.Append("<section id=\"settings\"><h2>Settings</h2><dl class=\"settings\">");
            // Long values (formulas, descriptions) take a full line rather than wrapping in a narrow column.
            foreach (var kv in r.Settings)
                sb.Append(CultureInfo.InvariantCulture, $"<div{(kv.Value.Length > 40 ? " class=\"wide\"" : "")}><dt>{H(kv.Key)}</dt><dd>{H(kv.Value)}</dd></div>");
            sb.Append("</dl></section>\n");
        }
        MeanTable(sb);
        ResultsTable(sb);
        if (_galleries.Length > 0)
            sb.Append("<section id=\"galleries\"><h2>Galleries: what the best model gets wrong</h2>").Append(_galleries).Append("</section>\n");
        if (_errorPlots.Length > 0)
            sb.Append("<section id=\"error-vs-latent\"><h2>Error and AUROC against latent size</h2><div class=\"plots\">").Append(_errorPlots).Append("</div></section>\n");
        if (_images.Length > 0)
            sb.Append("<section id=\"images\"><h2>Test images and reconstructions</h2>").Append(_images).Append("</section>\n");
        if (_cards.Length > 0)
            sb.Append("<section id=\"explanations\"><h2>Explanations and training alarms</h2>").Append(_cards).Append("</section>\n");
        if (_rows.Length > 0)
            sb.Append("<section id=\"scores\"><h2>Score distributions and ROC curves</h2>")
              .Append("<p class=\"muted\">Higher scores mean &#8220;more fake&#8221;: a test image is called fake when its score is above the threshold. ")
              .Append("Histograms are normalised per class; the dot on each ROC curve is the threshold&#8217;s operating point.</p>\n")
              .Append(CultureInfo.InvariantCulture, $"<details class=\"cards\"><summary>Show the {_anchors.Count.ToString(CultureInfo.InvariantCulture)} per-result cards (each result&#8217;s score links to its card)</summary>\n")
              .Append(_rows).Append("</details></section>\n");
        if (_latents.Length > 0)
            sb.Append("<section id=\"latent\"><h2>Latent space</h2>").Append(_latents).Append("</section>\n");

        var all = files.Append("index.html").Distinct().ToList();
        sb.Append(CultureInfo.InvariantCulture, $"<footer><details><summary>The {all.Count} files written with this report (plots as SVG, images as PNG, results as CSV)</summary><p>");
        sb.AppendJoin(", ", all.Select(f => $"<a href=\"{H(f)}\">{H(f)}</a>"));
        sb.Append("</p></details><p>Errors are minimised over thresholds; balanced error is the mean of the two classes&#8217; miss rates, ")
          .Append("pooled error counts all test images together; AUROC = P(score of a fake &gt; score of a real).</p></footer>\n</main>\n</body>\n</html>\n");
        return sb.ToString();
    }

    /// <summary>The table of contents: a link to every section this report has, in page order.</summary>
    private void Contents(StringBuilder sb)
    {
        var r = _report;
        var sections = new List<(string Id, string Title)>();
        if (r.Settings.Count > 0) sections.Add(("settings", "Settings"));
        if (r.Rows.Select(x => (x.Real, x.Fake)).Distinct().Count() >= 2) sections.Add(("means", "Mean over class pairs"));
        sections.Add(("results", "Results"));
        if (_galleries.Length > 0) sections.Add(("galleries", "Galleries"));
        if (_errorPlots.Length > 0) sections.Add(("error-vs-latent", "Error and AUROC against latent size"));
        if (_images.Length > 0) sections.Add(("images", "Test images and reconstructions"));
        if (_cards.Length > 0) sections.Add(("explanations", "Explanations and training alarms"));
        if (_rows.Length > 0) sections.Add(("scores", "Score distributions and ROC curves"));
        if (_latents.Length > 0) sections.Add(("latent", "Latent space"));
        sb.Append("<nav id=\"toc\" class=\"toc\"><h2>Contents</h2><ol>");
        foreach (var (id, title) in sections) sb.Append(CultureInfo.InvariantCulture, $"<li><a href=\"#{id}\">{H(title)}</a></li>");
        sb.Append("</ol></nav>\n");
    }

    private void KeyFigures(StringBuilder sb)
    {
        var finite = _report.Rows.Where(x => double.IsFinite(x.BalancedError)).ToList();
        if (finite.Count == 0) return;
        var pairs = _report.Rows.Select(x => (x.Real, x.Fake)).Distinct().ToList();
        string Caption(ClassModelRow x) => pairs.Count == 1 ? x.Caption : $"{x.Caption} ({x.Real} vs {x.Fake})";
        ClassModelRow best = finite.MinBy(x => x.BalancedError)!;
        var byAuroc = _report.Rows.Where(x => double.IsFinite(x.Auroc)).ToList();
        sb.Append("<section class=\"keyfigs\">")
          .Append(CultureInfo.InvariantCulture, $"<div class=\"kf\"><div class=\"kf-label\">Lowest balanced error</div><div class=\"kf-value\">{Pct(best.BalancedError)}</div><div class=\"kf-sub\">{H(Caption(best))}</div></div>");
        if (pairs.Count > 1 && Means().FirstOrDefault(m => double.IsFinite(m.Auroc)) is { Row: not null } top)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<div class=\"kf\"><div class=\"kf-label\">Highest mean AUROC</div><div class=\"kf-value\">{Num(top.Auroc, "0.000")}</div>")
              .Append(CultureInfo.InvariantCulture, $"<div class=\"kf-sub\">{H(top.Row.Caption)}, mean over {top.Count.ToString(CultureInfo.InvariantCulture)} class pairs</div></div>");
        }
        else if (byAuroc.Count > 0)
        {
            ClassModelRow hi = byAuroc.MaxBy(x => x.Auroc)!;
            sb.Append(CultureInfo.InvariantCulture, $"<div class=\"kf\"><div class=\"kf-label\">Highest AUROC</div><div class=\"kf-value\">{Num(hi.Auroc, "0.000")}</div><div class=\"kf-sub\">{H(Caption(hi))}</div></div>");
        }
        string task = pairs.Count == 1 ? $"{H(pairs[0].Real)} vs {H(pairs[0].Fake)}" : $"{pairs.Count.ToString(CultureInfo.InvariantCulture)} class pairs";
        sb.Append(CultureInfo.InvariantCulture, $"<div class=\"kf\"><div class=\"kf-label\">Task</div><div class=\"kf-value small\">{task}</div><div class=\"kf-sub\">real vs fake test classes</div></div>")
          .Append("</section>\n");
    }

    /// <summary>Per (model, latent, score): means over the class pairs, best mean AUROC first (NaN last).</summary>
    private List<(ClassModelRow Row, int Count, double BalancedError, double PooledError, double Auroc)> Means() =>
        _report.Rows.GroupBy(x => (x.Model, x.Latent, x.Score))
            .Select(g => (g.First(), g.Count(), g.Average(x => x.BalancedError), g.Average(x => x.PooledError), g.Average(x => x.Auroc)))
            .OrderByDescending(m => double.IsFinite(m.Item5) ? m.Item5 : double.NegativeInfinity)
            .ToList();

    /// <summary>With several class pairs (one-vs-rest), the figures averaged over them, as the seed study reports.</summary>
    private void MeanTable(StringBuilder sb)
    {
        if (_report.Rows.Select(x => (x.Real, x.Fake)).Distinct().Count() < 2) return;
        sb.Append("<section id=\"means\"><h2>Mean over class pairs</h2><div class=\"table-wrap\"><table class=\"results\"><thead><tr>")
          .Append("<th>model</th><th class=\"n\">latent</th><th>score</th><th class=\"n\">pairs</th>")
          .Append("<th class=\"n\">mean balanced error&#160;%</th><th class=\"n\">mean pooled error&#160;%</th><th class=\"n\">mean AUROC</th>")
          .Append("</tr></thead><tbody>\n");
        foreach (var m in Means())
        {
            sb.Append(CultureInfo.InvariantCulture, $"<tr><td>{H(m.Row.Model)}</td><td class=\"n\">{(m.Row.Latent is { } k ? k.ToString(CultureInfo.InvariantCulture) : "&#8212;")}</td>")
              .Append(CultureInfo.InvariantCulture, $"<td>{H(m.Row.Score)}</td><td class=\"n\">{m.Count.ToString(CultureInfo.InvariantCulture)}</td>")
              .Append(CultureInfo.InvariantCulture, $"<td class=\"n\">{Num(100 * m.BalancedError, "0.00")}</td><td class=\"n\">{Num(100 * m.PooledError, "0.00")}</td>")
              .Append(CultureInfo.InvariantCulture, $"<td class=\"n\">{Num(m.Auroc, "0.0000")}</td></tr>\n");
        }
        sb.Append("</tbody></table></div></section>\n");
    }

    private void ResultsTable(StringBuilder sb)
    {
        var rows = _report.Rows;
        if (rows.Count == 0) { sb.Append("<section id=\"results\"><h2>Results</h2><p class=\"muted\">No results.</p></section>\n"); return; }
        double bestBal = rows.Select(x => x.BalancedError).Where(double.IsFinite).DefaultIfEmpty(double.NaN).Min();
        double bestAuc = rows.Select(x => x.Auroc).Where(double.IsFinite).DefaultIfEmpty(double.NaN).Max();
        sb.Append("<section id=\"results\"><h2>Results</h2><div class=\"table-wrap\"><table class=\"results\"><thead><tr>")
          .Append("<th>real</th><th>fake</th><th>model</th><th class=\"n\">latent</th><th>score</th>")
          .Append("<th class=\"n\">balanced error&#160;%</th><th class=\"n\">95&#160;% interval</th><th class=\"n\">pooled error&#160;%</th><th class=\"n\">AUROC</th><th class=\"n\">threshold</th>")
          .Append("</tr></thead><tbody>\n");
        for (int i = 0; i < rows.Count; i++)
        {
            ClassModelRow x = rows[i];
            string score = i < _anchors.Count ? $"<a href=\"#{H(_anchors[i])}\">{H(x.Score)}</a>" : H(x.Score);
            bool best = x.BalancedError == bestBal;
            sb.Append(best ? "<tr class=\"best\">" : "<tr>")
              .Append(CultureInfo.InvariantCulture, $"<td>{H(x.Real)}</td><td>{H(x.Fake)}</td><td>{H(x.Model)}</td>")
              .Append(CultureInfo.InvariantCulture, $"<td class=\"n\">{(x.Latent is { } k ? k.ToString(CultureInfo.InvariantCulture) : "&#8212;")}</td><td>{score}</td>")
              .Append(CultureInfo.InvariantCulture, $"<td class=\"n{(best ? " top" : "")}\">{Num(100 * x.BalancedError, "0.00")}</td>")
              .Append(CultureInfo.InvariantCulture, $"<td class=\"n\">{IntervalCell(x)}</td>")
              .Append(CultureInfo.InvariantCulture, $"<td class=\"n\">{Num(100 * x.PooledError, "0.00")}</td>")
              .Append(CultureInfo.InvariantCulture, $"<td class=\"n{(x.Auroc == bestAuc ? " top" : "")}\">{Num(x.Auroc, "0.0000")}</td>")
              .Append(CultureInfo.InvariantCulture, $"<td class=\"n\">{Threshold(x.Threshold)}</td></tr>\n");
        }
        sb.Append("</tbody></table></div></section>\n");
    }

    /// <summary>" (95 % interval a-b %)" after a card's balanced error, or nothing when the interval was not computed.</summary>
    private static string Interval(ClassModelRow r) =>
        double.IsFinite(r.BalancedErrorLow) && double.IsFinite(r.BalancedErrorHigh) ? $" <span class=\"muted\">(95&#160;% interval {IntervalCell(r)}&#160;%)</span>" : "";

    private static string IntervalCell(ClassModelRow r) =>
        double.IsFinite(r.BalancedErrorLow) && double.IsFinite(r.BalancedErrorHigh)
            ? $"{Num(100 * r.BalancedErrorLow, "0.00")}&#8211;{Num(100 * r.BalancedErrorHigh, "0.00")}" : "&#8212;";
}

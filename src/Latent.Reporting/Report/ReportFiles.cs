// Renders a ClassModelReport into the files of a report folder, in memory: index.html (self-contained: every
// plot and image inline as a data: URI), results.csv, and beside them the same plots and images as
// plots/*.svg and images/*.png for use elsewhere. Nothing here touches the disk; ReportWriter does.
using System.Globalization;
using System.Text;
using Latent.Reporting.Images;
using Latent.Reporting.Plots;
using Latent.Data.Png;

namespace Latent.Reporting.Report;

/// <summary>Renders a ClassModelReport into the files of a report folder, in memory.</summary>
public static class ReportFiles
{
    /// <summary>Relative path (with '/') to file contents; "index.html" is the report.</summary>
    public static IReadOnlyDictionary<string, byte[]> Render(ClassModelReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        report.Validate();
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var html = new ReportHtml(report);

        foreach ((string path, string alt, string svg) in VersusLatent(report.Rows))
        {
            files[path] = Encoding.UTF8.GetBytes(svg);
            html.AddLatentSizePlot(alt, path, svg);
        }

        foreach ((string name, ImageBatch? originals, Func<Reconstruction, ImageBatch?> pick) in
                 new[] { ("real", report.RealImages, (Func<Reconstruction, ImageBatch?>)(r => r.Real)), ("fake", report.FakeImages, r => r.Fake) })
        {
            if (originals is null) continue;
            (PngImage grid, int shown, int recs) = Grid(originals, report.Reconstructions.Where(r => pick(r) is not null).Select(r => (r.Name, pick(r)!)).ToList(), report.ImagesShown);
            string path = $"images/{name}.png";
            byte[] png = PngEncoder.Encode(grid);
            files[path] = png;
            html.AddImageGrid(name, path, png, grid.Width, grid.Height, shown, recs);
        }

        foreach (Gallery g in report.Galleries) AddGallery(files, html, g);

        var used = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < report.Rows.Count; i++)
        {
            ClassModelRow row = report.Rows[i];
            string stem = UniqueStem($"{i + 1:00}-{Slug(row.Caption)}", used);
            string? histPath = null, rocPath = null, hist = null, roc = null;
            if (row.RealScores.Length + row.FakeScores.Length > 0)
            {
                hist = HistogramPlot.Render(row.RealScores, row.FakeScores, new HistogramPlotOptions
                {
                    Title = $"Scores: {row.Caption}",
                    XLabel = $"{row.Score} (higher = more fake)",
                    RealLabel = $"real {row.Real}",
                    FakeLabel = $"fake {row.Fake}",
                    Threshold = row.Threshold,
                });
                histPath = $"plots/{stem}-hist.svg";
                files[histPath] = Encoding.UTF8.GetBytes(hist);
            }
            if (row.RealScores.Length > 0 && row.FakeScores.Length > 0)
            {
                roc = RocPlot.Render([new RocSeries(row.Score, row.RealScores, row.FakeScores, double.IsNaN(row.Threshold) ? null : row.Threshold)], $"ROC: {row.Caption}");
                rocPath = $"plots/{stem}-roc.svg";
                files[rocPath] = Encoding.UTF8.GetBytes(roc);
            }
            html.AddRow(row, stem, histPath, hist, rocPath, roc);
        }

        foreach (LatentCodes z in report.Latents)
        {
            string stem = UniqueStem($"latent-{Slug(z.Name)}", used);
            string strips = DensityStripPlot.Render(z.Z, z.Count, z.Dims, $"Latent dimensions: {z.Name}");
            files[$"plots/{stem}-strips.svg"] = Encoding.UTF8.GetBytes(strips);
            string? scatter = null;
            if (z.Dims == 2)
            {
                double[] x = new double[z.Count], y = new double[z.Count];
                for (int i = 0; i < z.Count; i++) { x[i] = z.Z[2 * i]; y[i] = z.Z[2 * i + 1]; }
                scatter = ScatterPlot.Render(x, y, z.Classes ?? new int[z.Count], z.ClassNames, $"Latent space: {z.Name}");
                files[$"plots/{stem}-scatter.svg"] = Encoding.UTF8.GetBytes(scatter);
            }
            html.AddLatent(z, $"plots/{stem}-strips.svg", strips, scatter is null ? null : $"plots/{stem}-scatter.svg", scatter);
        }

        for (int i = 0; i < report.Cards.Count; i++)
        {
            ReportCard card = report.Cards[i];
            string? path = card.Png is null ? null : $"images/card-{i + 1:00}-{Slug(card.Title)}.png";
            if (path is not null) files[path] = card.Png!;
            html.AddCard(card, path);
        }

        files["results.csv"] = Encoding.UTF8.GetBytes(Csv(report.Rows));
        files["index.html"] = Encoding.UTF8.GetBytes(html.ToString(files.Keys.Order(StringComparer.Ordinal).ToList()));
        return files;
    }

    /// <summary>Per (real, fake, model) with two or more latent sizes: balanced error (%) and AUROC against latent size, a line per score.</summary>
    private static List<(string Path, string Alt, string Svg)> VersusLatent(IReadOnlyList<ClassModelRow> rows)
    {
        var plots = new List<(string, string, string)>();
        foreach (var group in rows.Where(r => r.Latent is not null).GroupBy(r => (r.Real, r.Fake, r.Model)))
        {
            if (group.Select(r => r.Latent).Distinct().Count() < 2) continue;
            List<LineSeries> Lines(Func<ClassModelRow, double> y) => group.GroupBy(r => r.Score)
                .Select(s => new LineSeries(s.Key, s.Select(r => (double)r.Latent!.Value).ToArray(), s.Select(y).ToArray()))
                .ToList();
            string title = $"{group.Key.Model}: {group.Key.Real} vs {group.Key.Fake}", slug = Slug(title);
            plots.Add(($"plots/error-vs-latent-{slug}.svg", $"Balanced error against latent size, {title}",
                LinePlot.Render(Lines(r => 100 * r.BalancedError), new LinePlotOptions { Title = $"Balanced error vs latent size, {title}" })));
            plots.Add(($"plots/auroc-vs-latent-{slug}.svg", $"AUROC against latent size, {title}",
                LinePlot.Render(Lines(r => r.Auroc), new LinePlotOptions { Title = $"AUROC vs latent size, {title}", YLabel = "AUROC", IncludeZero = false })));
        }
        return plots;
    }

    /// <summary>A gallery as one row of images (at most 12 a row), images/{id}.png.</summary>
    private static void AddGallery(Dictionary<string, byte[]> files, ReportHtml html, Gallery g)
    {
        var b = g.Images;
        int scale = Math.Max(1, 56 / Math.Max(b.Height, b.Width));
        PngImage grid = ImageGrid.Compose(b.Pixels, b.Count, b.Height, b.Width, new ImageGridOptions { Columns = Math.Min(12, b.Count), Scale = scale, Padding = 3, Background = 0.16f });
        string path = $"images/{g.Id}.png";
        byte[] png = PngEncoder.Encode(grid);
        files[path] = png;
        html.AddGallery(g, path, png, grid.Width, grid.Height);
    }

    /// <summary>Grid: first row the inputs, then one row per reconstruction, same columns.</summary>
    private static (PngImage Grid, int Shown, int Recs) Grid(ImageBatch originals, List<(string Name, ImageBatch Batch)> recs, int maxShown)
    {
        int n = Math.Min(maxShown, originals.Count);
        foreach ((_, ImageBatch b) in recs) n = Math.Min(n, b.Count);
        int hw = originals.Height * originals.Width;
        var pixels = new float[(1 + recs.Count) * n * hw];
        originals.First(n).CopyTo(pixels);
        for (int k = 0; k < recs.Count; k++) recs[k].Batch.First(n).CopyTo(pixels.AsSpan((k + 1) * n * hw));
        var labels = new List<string> { "input" };
        labels.AddRange(recs.Select(r => r.Name));
        int scale = Math.Max(1, 56 / Math.Max(originals.Height, originals.Width));
        var options = new ImageGridOptions { Columns = n, Scale = scale, Padding = 3, Background = 0.16f, RowLabels = recs.Count > 0 ? labels : null };
        return (ImageGrid.Compose(pixels, (1 + recs.Count) * n, originals.Height, originals.Width, options), n, recs.Count);
    }

    private static string Csv(IReadOnlyList<ClassModelRow> rows)
    {
        var sb = new StringBuilder("real,fake,model,latent,score,balanced_error_pct,balanced_error_low_pct,balanced_error_high_pct,pooled_error_pct,auroc,threshold\n");
        foreach (ClassModelRow r in rows)
        {
            sb.Append(CultureInfo.InvariantCulture,
                $"{CsvField(r.Real)},{CsvField(r.Fake)},{CsvField(r.Model)},{r.Latent?.ToString(CultureInfo.InvariantCulture) ?? ""},{CsvField(r.Score)},");
            sb.Append(CultureInfo.InvariantCulture, $"{R(100 * r.BalancedError)},{R(100 * r.BalancedErrorLow)},{R(100 * r.BalancedErrorHigh)},{R(100 * r.PooledError)},{R(r.Auroc)},{R(r.Threshold)}\n");
        }
        return sb.ToString();

        // 15 significant digits: exact for the figures, without binary noise such as 18.000000000000004; an interval
        // that was not computed (NaN) is an empty cell.
        static string R(double v) => double.IsNaN(v) ? "" : v.ToString("G15", CultureInfo.InvariantCulture);
    }

    private static string CsvField(string s) =>
        s.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : s;

    /// <summary>A file-name-safe form: lowercase letters, digits and single dashes.</summary>
    public static string Slug(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var sb = new StringBuilder();
        foreach (char c in text.ToLowerInvariant())
        {
            if (c is >= 'a' and <= 'z' or >= '0' and <= '9') sb.Append(c);
            else if (sb.Length > 0 && sb[^1] != '-') sb.Append('-');
        }
        string s = sb.ToString().Trim('-');
        if (s.Length > 60) s = s[..60].TrimEnd('-');
        return s.Length == 0 ? "x" : s;
    }

    private static string UniqueStem(string stem, HashSet<string> used)
    {
        string s = stem;
        for (int k = 2; !used.Add(s); k++) s = $"{stem}-{k}";
        return s;
    }
}

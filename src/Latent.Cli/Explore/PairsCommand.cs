// `latent explore pairs`: seed 002's 45-pair figure. The class centroids of the training images in the model's latent
// space (labels used only here), then one row per unordered pair of classes, columns from centroid i to centroid j,
// decode((1 - alpha) c_i + alpha c_j), as one labelled PNG. With --judge: each image's class probabilities, the alpha
// at which the judge's top class becomes j, and the share of the 45 x 2 centroid endpoints (decode(c_j) at alpha 1,
// decode(c_i) at alpha 0) judged as their target class; and, for --moved test images per class, the share of moved
// endpoints E(x_b) + (c_a - c_b) judged as a, over the 90 ordered pairs (b -> a).
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Latent.Cli.Output;
using Latent.Data;
using Latent.Models.Exploration;
using Latent.Models.Exploration.Judges;
using Latent.Reporting.Images;
using Latent.Reporting.Plots;
using Latent.Reporting.Report;

namespace Latent.Cli.Explore;

internal static class PairsCommand
{
    public static Command Build(TextWriter stdout, TextWriter stderr, bool interactive)
    {
        var file = ExploreArgs.ModelFile();
        var output = ExploreArgs.Out();
        var dataset = ExploreArgs.Dataset();
        var judgeOpt = ExploreArgs.Judge();
        var classes = new Option<string>("--classes") { Description = "Comma list of classes, or all.", DefaultValueFactory = _ => "all" };
        var alpha = new Option<string>("--alpha") { Description = "Alphas from:to:steps along each pair.", DefaultValueFactory = _ => "0:1:10" };
        var moved = new Option<int>("--moved") { Description = "Test images per class moved to every other class's centroid (with --judge; 0: none).", DefaultValueFactory = _ => 10 };
        var cmd = new Command("pairs", "The grid of every pair of classes, centroid to centroid, and (with --judge) the endpoints judged as their target.")
            { file, output, dataset, judgeOpt, classes, alpha, moved };
        cmd.SetAction(p =>
        {
            var term = new Terminal(stdout, stderr, p.GetValue(LatentCommand.Json), interactive);
            var alphas = AlphaRange.Parse(p.GetValue(alpha)!).Values();
            int nMoved = p.GetValue(moved);
            if (nMoved < 0 || nMoved > 1000) throw new CliException($"--moved {nMoved}: give 0 to 1000 test images per class.");
            string dir = ExploreArgs.OutDir(p.GetValue(output));
            string path = p.GetValue(file)!;
            var (loaded, space) = ExploreArgs.EncodingSpace(path, "the pair grid (class centroids)");
            var judge = ExploreArgs.LoadJudge(p.GetValue(judgeOpt), space.Shape);
            var (train, d) = ExploreArgs.Load(p.GetValue(dataset)!, Split.Train, p, term);
            ExploreArgs.CheckShape(train, space.Shape, path);
            int[] cls = ExploreArgs.Classes(p.GetValue(classes)!, d, train);

            var sw = Stopwatch.StartNew();
            var kept = train.OfClasses(cls);
            float[] codes = space.Encode(kept.Pixels, kept.Count);                       // (N, Z)
            var centroids = Centroids.Compute(codes, ExploreArgs.Labels(kept), space.Latent, cls);
            double centroidSeconds = sw.Elapsed.TotalSeconds;

            sw.Restart();
            var pairs = Interpolation.Pairs(cls);
            int a = alphas.Count, rows = pairs.Count;
            float[] images = space.Decode(Interpolation.PairGrid(centroids, pairs, alphas), rows * a);   // (P A, D)
            var report = new ExploreReport($"Pairs of classes: {loaded.Entry.Name}", $"{path}, latent {space.Latent}, {d.Name} training centroids");
            report.Section("The pair grid", $"One row per pair i-j, columns alpha = {string.Join(", ", alphas.Select(x => ExploreArgs.F(x, "0.##")))}: decode((1 - alpha) c_i + alpha c_j).");
            string gridPath = ExploreArgs.Grid(dir, "pairs.png", images, rows * a, space.Shape,
                new ImageGridOptions { Columns = a, Scale = 1, RowLabels = pairs.Select(q => $"{d.ClassNames[q.From]}-{d.ClassNames[q.To]}").ToArray() }, report, "The pair grid");
            double gridSeconds = sw.Elapsed.TotalSeconds;

            double? centroidShare = null, movedShare = null;
            var switchAlpha = new double[rows];
            if (judge is not null)
            {
                var probs = judge.Probabilities(images, rows * a);                    // (P A, K)
                var top = Judge.ArgMax(probs, judge.Options.Classes);
                int hits = 0;
                for (int r = 0; r < rows; r++)
                {
                    switchAlpha[r] = double.NaN;
                    for (int c = 0; c < a; c++)
                        if (top[r * a + c] == pairs[r].To) { switchAlpha[r] = alphas[c]; break; }
                    if (top[r * a + a - 1] == pairs[r].To) hits++;
                    if (top[r * a] == pairs[r].From) hits++;
                }
                centroidShare = hits / (2.0 * rows);
                var shares = new[] { new double[a], new double[a], new double[a] };   // top class = i, = j, other
                for (int r = 0; r < rows; r++)
                    for (int c = 0; c < a; c++)
                    {
                        int t = top[r * a + c];
                        shares[t == pairs[r].From ? 0 : t == pairs[r].To ? 1 : 2][c] += 1.0 / rows;
                    }
                var xs = alphas.ToArray();
                report.Section("What the judge sees", $"Judge: {judge.Options.Kind.ToString().ToLowerInvariant()}. Share of the {rows} pairs whose image the judge calls i, j or another class, per alpha.");
                ExploreArgs.Svg(dir, "pairs-judge.svg", LinePlot.Render(
                    [new LineSeries("top class i", xs, shares[0]), new LineSeries("top class j", xs, shares[1]), new LineSeries("another class", xs, shares[2])],
                    new LinePlotOptions { XLabel = "alpha", YLabel = "share of pairs", XAxis = AxisKind.Linear }), report, "Judge's top class along the pairs");
                if (nMoved > 0) movedShare = MovedShare(space, judge, centroids, cls, nMoved, p, term, dataset, report);
                report.Note($"Centroid endpoints judged as their target class: {hits} of {2 * rows} ({ExploreArgs.F(100 * centroidShare.Value, "0.0")} %)." +
                    (movedShare is double ms ? $" Moved test images (E(x_b) + c_a - c_b) judged as a: {ExploreArgs.F(100 * ms, "0.0")} %." : ""));
                report.Table(["pair", "alpha where the top class becomes j"], pairs.Select((q, r) =>
                    (IReadOnlyList<string>)[$"{d.ClassNames[q.From]}-{d.ClassNames[q.To]}", ExploreArgs.F(switchAlpha[r], "0.00")]));
            }
            string reportPath = ExploreArgs.SaveReport(dir, report);
            if (term.Json)
                JsonOut.Write(stdout, w =>
                {
                    w.WriteStartObject();
                    w.WriteString("command", "explore pairs");
                    w.WriteString("model", loaded.Entry.Name);
                    w.WriteNumber("latent", space.Latent);
                    w.WriteNumber("pairs", rows);
                    w.WriteNumber("steps", a);
                    w.Number("centroidSeconds", centroidSeconds);
                    w.Number("gridSeconds", gridSeconds);
                    if (centroidShare is double cs) w.Number("centroidEndpointsJudgedTarget", cs);
                    if (movedShare is double m) w.Number("movedEndpointsJudgedTarget", m);
                    if (judge is not null)
                    {
                        w.WriteStartArray("switchAlpha");
                        for (int r = 0; r < rows; r++)
                        {
                            w.WriteStartObject();
                            w.WriteString("from", d.ClassNames[pairs[r].From]);
                            w.WriteString("to", d.ClassNames[pairs[r].To]);
                            w.Number("alpha", switchAlpha[r]);
                            w.WriteEndObject();
                        }
                        w.WriteEndArray();
                    }
                    w.WriteString("grid", gridPath);
                    w.WriteString("report", reportPath);
                    w.WriteEndObject();
                });
            else
            {
                stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{rows}-pair grid of {loaded.Entry.Name} (latent {space.Latent}): centroids {centroidSeconds:0.00} s, grid {gridSeconds:0.00} s -> {gridPath}"));
                if (centroidShare is double cs) stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"centroid endpoints judged as their target: {100 * cs:0.0} % of {2 * rows}"));
                if (movedShare is double m) stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"moved test images judged as their target: {100 * m:0.0} %"));
                stdout.WriteLine($"report: {reportPath}");
            }
            return 0;
        });
        return cmd;
    }

    /// <summary>The share of moved endpoints E(x_b) + (c_a - c_b), over the first <paramref name="perClass"/> test images of
    /// every class b and every other class a, that the judge calls a.</summary>
    private static double MovedShare(LatentSpace space, Judge judge, Centroids centroids, int[] cls, int perClass, ParseResult p, Terminal term,
        Option<string> dataset, ExploreReport report)
    {
        var (test, _) = ExploreArgs.Load(p.GetValue(dataset)!, Split.Test, p, term);
        int hits = 0, total = 0;
        foreach (int b in cls)
        {
            var xb = test.OfClass(b);
            int n = Math.Min(perClass, xb.Count);
            if (n == 0) continue;
            float[] z = space.Encode(xb.Pixels.AsSpan(0, n * xb.Dim), n);              // (n, Z)
            foreach (int a in cls)
            {
                if (a == b) continue;
                var v = centroids.Vector(b, a);
                var moved = new float[n * space.Latent];
                for (int i = 0; i < n; i++)
                    Interpolation.Along(z.AsSpan(i * space.Latent, space.Latent), v, [1.0]).CopyTo(moved.AsSpan(i * space.Latent));
                var top = judge.Predict(space.Decode(moved, n), n);
                hits += top.Count(t => t == a);
                total += n;
            }
        }
        report.Note($"{total} moved endpoints: {perClass} test images per class, each moved by v = c_a - c_b (alpha 1) towards every other class a.");
        return total == 0 ? double.NaN : (double)hits / total;
    }
}

// `latent explore move`: seed 002's experiment, test images of one class moved along the vector between two other
// classes' centroids, z(alpha) = E(x) + alpha (c_to - c_from), e.g. a 7 along the 6 -> 0 vector for alpha from -2 to
// 2. One PNG row per image; with --judge, the judge's mean probability of the from, to and image classes along alpha
// (SVG) and the alpha where the top class switches.
using System.CommandLine;
using System.Globalization;
using Latent.Cli.Output;
using Latent.Data;
using Latent.Models.Exploration;
using Latent.Reporting.Images;
using Latent.Reporting.Plots;
using Latent.Reporting.Report;

namespace Latent.Cli.Explore;

internal static class MoveCommand
{
    public static Command Build(TextWriter stdout, TextWriter stderr, bool interactive)
    {
        var file = ExploreArgs.ModelFile();
        var output = ExploreArgs.Out();
        var dataset = ExploreArgs.Dataset();
        var judgeOpt = ExploreArgs.Judge();
        var from = new Option<string>("--from") { Description = "The vector's start class.", DefaultValueFactory = _ => "6" };
        var to = new Option<string>("--to") { Description = "The vector's end class.", DefaultValueFactory = _ => "0" };
        var digit = new Option<string>("--image-class") { Description = "The class of the test images moved.", DefaultValueFactory = _ => "7" };
        var count = new Option<int>("--count") { Description = "Test images moved (the first of their class), 1 to 64.", DefaultValueFactory = _ => 4 };
        var alpha = new Option<string>("--alpha") { Description = "Alphas from:to:steps.", DefaultValueFactory = _ => "-2:2:9" };
        var cmd = new Command("move", "Move test images along the vector from one class centroid to another.") { file, output, dataset, judgeOpt, from, to, digit, count, alpha };
        cmd.SetAction(p =>
        {
            var term = new Terminal(stdout, stderr, p.GetValue(LatentCommand.Json), interactive);
            var alphas = AlphaRange.Parse(p.GetValue(alpha)!).Values();
            int n = p.GetValue(count);
            if (n < 1 || n > 64) throw new CliException($"--count {n}: move 1 to 64 images.");
            string dir = ExploreArgs.OutDir(p.GetValue(output));
            string path = p.GetValue(file)!;
            var (loaded, space) = ExploreArgs.EncodingSpace(path, "moving real images");
            var judge = ExploreArgs.LoadJudge(p.GetValue(judgeOpt), space.Shape);
            var (train, d) = ExploreArgs.Load(p.GetValue(dataset)!, Split.Train, p, term);
            ExploreArgs.CheckShape(train, space.Shape, path);
            int cFrom = d.ParseClass(p.GetValue(from)!), cTo = d.ParseClass(p.GetValue(to)!), cImg = d.ParseClass(p.GetValue(digit)!);
            if (cFrom == cTo) throw new CliException($"--from and --to are both {d.ClassNames[cFrom]}: the vector would be zero; give two different classes.");
            ExploreArgs.Classes($"{cFrom},{cTo}", d, train);
            var ends = train.OfClasses([cFrom, cTo]);
            var centroids = Centroids.Compute(space.Encode(ends.Pixels, ends.Count), ExploreArgs.Labels(ends), space.Latent, [cFrom, cTo]);
            var v = centroids.Vector(cFrom, cTo);

            var (test, _) = ExploreArgs.Load(p.GetValue(dataset)!, Split.Test, p, term);
            var imgs = test.OfClass(cImg);
            if (imgs.Count == 0) throw new DataException($"class {d.ClassNames[cImg]} has no test images in {test.Source}; choose another --image-class.");
            n = Math.Min(n, imgs.Count);
            int zd = space.Latent, a = alphas.Count;
            float[] z = space.Encode(imgs.Pixels.AsSpan(0, n * imgs.Dim), n);
            var codes = new float[n * a * zd];
            for (int i = 0; i < n; i++) Interpolation.Along(z.AsSpan(i * zd, zd), v, alphas).CopyTo(codes.AsSpan(i * a * zd));
            float[] images = space.Decode(codes, n * a);
            string title = $"{d.ClassNames[cImg]} moved along {d.ClassNames[cFrom]} -> {d.ClassNames[cTo]}";
            var report = new ExploreReport($"Moving images: {loaded.Entry.Name}", $"{path}, latent {space.Latent}; {title}");
            report.Section(title, $"Rows: the first {n} test images of class {d.ClassNames[cImg]}; columns alpha = {string.Join(", ", alphas.Select(x => ExploreArgs.F(x, "0.##")))}: decode(E(x) + alpha (c_{d.ClassNames[cTo]} - c_{d.ClassNames[cFrom]})).");
            string gridPath = ExploreArgs.Grid(dir, "move.png", images, n * a, space.Shape,
                new ImageGridOptions { Columns = a, Scale = 2, ColumnLabels = alphas.Select(x => ExploreArgs.F(x, "0.#")).ToArray() }, report, title);
            double[]? pFrom = null, pTo = null, pImg = null;
            if (judge is not null)
            {
                var probs = judge.Probabilities(images, n * a);
                int k = judge.Options.Classes;
                pFrom = new double[a]; pTo = new double[a]; pImg = new double[a];
                for (int i = 0; i < n; i++)
                    for (int c = 0; c < a; c++)
                    {
                        int row = (i * a + c) * k;
                        pFrom[c] += probs[row + cFrom] / n;
                        pTo[c] += probs[row + cTo] / n;
                        pImg[c] += probs[row + cImg] / n;
                    }
                var xs = alphas.ToArray();
                ExploreArgs.Svg(dir, "move-judge.svg", LinePlot.Render(
                    [new LineSeries($"P({d.ClassNames[cFrom]})", xs, pFrom), new LineSeries($"P({d.ClassNames[cTo]})", xs, pTo), new LineSeries($"P({d.ClassNames[cImg]})", xs, pImg)],
                    new LinePlotOptions { XLabel = "alpha", YLabel = "judge's mean probability", XAxis = AxisKind.Linear }), report, "The judge's probabilities along alpha");
            }
            string reportPath = ExploreArgs.SaveReport(dir, report);
            if (term.Json)
                JsonOut.Write(stdout, w =>
                {
                    w.WriteStartObject();
                    w.WriteString("command", "explore move");
                    w.WriteString("model", loaded.Entry.Name);
                    w.WriteString("from", d.ClassNames[cFrom]);
                    w.WriteString("to", d.ClassNames[cTo]);
                    w.WriteString("imageClass", d.ClassNames[cImg]);
                    w.WriteNumber("images", n);
                    w.WriteStartArray("alphas");
                    for (int c = 0; c < a; c++)
                    {
                        w.WriteStartObject();
                        w.WriteNumber("alpha", alphas[c]);
                        if (pFrom is not null)
                        {
                            w.Number("pFrom", pFrom[c]);
                            w.Number("pTo", pTo![c]);
                            w.Number("pImageClass", pImg![c]);
                        }
                        w.WriteEndObject();
                    }
                    w.WriteEndArray();
                    w.WriteString("grid", gridPath);
                    w.WriteString("report", reportPath);
                    w.WriteEndObject();
                });
            else
            {
                stdout.WriteLine($"{title}: {n} images x {a} alphas -> {gridPath}");
                if (pTo is not null)
                    for (int c = 0; c < a; c++)
                        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                            $"  alpha {alphas[c],5:0.00}: P({d.ClassNames[cFrom]}) {pFrom![c]:0.000}  P({d.ClassNames[cTo]}) {pTo[c]:0.000}  P({d.ClassNames[cImg]}) {pImg![c]:0.000}"));
                stdout.WriteLine($"report: {reportPath}");
            }
            return 0;
        });
        return cmd;
    }
}

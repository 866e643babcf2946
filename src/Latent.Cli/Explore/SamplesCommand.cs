// `latent explore samples`: sample quality of every generator given (the diagonal Gaussian of seed 002 included):
// a grid of the first 64 of --count samples, and with --judge the judge's class histogram (are all classes produced?)
// and mean top-class confidence; with --fid-judge (a cnn judge) the Frechet distance between the samples and the test
// set in the judge's hidden features, an MNIST "FID" (FrechetDistance), beside the floor: the test set against --count
// training images.
using System.CommandLine;
using System.Globalization;
using Latent.Cli.Output;
using Latent.Data;
using Latent.Models.Exploration;
using Latent.Models.Exploration.Judges;
using Latent.Reporting.Images;
using Latent.Reporting.Plots;
using Latent.Reporting.Report;

namespace Latent.Cli.Explore;

internal static class SamplesCommand
{
    public static Command Build(TextWriter stdout, TextWriter stderr, bool interactive)
    {
        var files = ExploreArgs.ModelFiles();
        var output = ExploreArgs.Out();
        var dataset = ExploreArgs.Dataset();
        var judgeOpt = ExploreArgs.Judge();
        var fidOpt = new Option<string?>("--fid-judge") { Description = "A cnn judge: the Frechet distance between samples and test images in its hidden features (an MNIST FID)." };
        var seed = ExploreArgs.Seed();
        var count = new Option<int>("--count") { Description = "Samples per model, 2 to 10000.", DefaultValueFactory = _ => 1000 };
        var cmd = new Command("samples", "Sample every model, judge the samples' classes, and measure an MNIST FID.") { files, output, dataset, judgeOpt, fidOpt, seed, count };
        cmd.SetAction(p =>
        {
            var term = new Terminal(stdout, stderr, p.GetValue(LatentCommand.Json), interactive);
            int n = p.GetValue(count);
            if (n < 2 || n > 10_000) throw new CliException($"--count {n}: draw 2 to 10000 samples per model.");
            string dir = ExploreArgs.OutDir(p.GetValue(output));
            var models = p.GetValue(files)!.Select(path =>
            {
                var loaded = ModelFileArgument.Load(path, []);
                var shape = loaded.Options.InputShape ?? throw new CliException($"--model-file {path}: the model does not say its image size; refit it with `latent train`.");
                return (Path: path, Loaded: loaded, Shape: shape);
            }).ToList();
            var shape0 = models[0].Shape;
            var judge = ExploreArgs.LoadJudge(p.GetValue(judgeOpt), shape0);
            var fid = ExploreArgs.LoadJudge(p.GetValue(fidOpt), shape0);
            if (fid is not null && fid.Options.Kind != JudgeKind.Cnn)
                throw new CliException($"--fid-judge {p.GetValue(fidOpt)} is a {fid.Options.Kind.ToString().ToLowerInvariant()} judge; the FID needs the hidden features of a cnn judge (`latent explore judge train --kind cnn`).");
            var (test, d) = ExploreArgs.Load(p.GetValue(dataset)!, Split.Test, p, term);
            foreach (var m in models) ExploreArgs.CheckShape(test, m.Shape, m.Path);
            var report = new ExploreReport("Samples", $"{string.Join(", ", models.Select(m => $"{m.Loaded.Entry.Name} ({m.Path})"))}; {n} samples each, seed {p.GetValue(seed)}");
            float[]? testFeatures = fid?.FeaturesOf(test.Pixels, test.Count);
            double? floor = null;
            if (fid is not null)
            {
                var (train, _) = ExploreArgs.Load(p.GetValue(dataset)!, Split.Train, p, term);
                int nt = Math.Min(n, train.Count);
                floor = FrechetDistance.Between(fid.FeaturesOf(train.Pixels.AsSpan(0, nt * train.Dim), nt), nt, testFeatures, test.Count, fid.Features);
            }
            var results = new List<(string Model, string Grid, double[]? Hist, double Confidence, double Fid)>();
            var series = new List<LineSeries>();
            int k = 0;
            foreach (var (path, loaded, shape) in models)
            {
                k++;
                float[] x;
                try { x = ImageSampler.Sample(loaded.Model, n, p.GetValue(seed)); }
                catch (ArgumentException e) { throw new CliException($"--model-file {path}: {e.Message}"); }
                report.Section($"{loaded.Entry.Name} ({path})");
                int shown = Math.Min(64, n);
                string grid = ExploreArgs.Grid(dir, $"{k}-{loaded.Entry.Name}-samples.png", x.AsSpan(0, shown * shape.Dim), shown, shape,
                    new ImageGridOptions { Columns = 8, Scale = 2 }, report, $"The first {shown} of {n} samples");
                double[]? hist = null;
                double conf = double.NaN, dist = double.NaN;
                if (judge is not null)
                {
                    var probs = judge.Probabilities(x, n);
                    int c = judge.Options.Classes;
                    hist = new double[c];
                    conf = 0;
                    foreach (int t in Judge.ArgMax(probs, c)) hist[t] += 1.0 / n;
                    for (int i = 0; i < n; i++) conf += probs.AsSpan(i * c, c).ToArray().Max() / n;
                    series.Add(new LineSeries(loaded.Entry.Name, Enumerable.Range(0, c).Select(v => (double)v).ToArray(), hist));
                }
                if (fid is not null) dist = FrechetDistance.Between(fid.FeaturesOf(x, n), n, testFeatures, test.Count, fid.Features);
                report.Note($"Judge's mean top-class confidence {ExploreArgs.F(conf)}; MNIST FID against the test set {ExploreArgs.F(dist, "0.00")}.");
                results.Add((loaded.Entry.Name, grid, hist, conf, dist));
            }
            if (series.Count > 0)
            {
                report.Section("The judge's class histogram");
                ExploreArgs.Svg(dir, "samples-classes.svg", LinePlot.Render(series,
                    new LinePlotOptions { XLabel = "class judged", YLabel = "share of samples", XAxis = AxisKind.Linear }), report, "Share of samples per judged class (all classes produced?)");
            }
            var header = new List<string> { "model", "mean confidence", "MNIST FID" };
            if (judge is not null) header.AddRange(d.ClassNames.Select(c => $"% {c}"));
            var table = results.Select(r => (IReadOnlyList<string>)[r.Model, ExploreArgs.F(r.Confidence), ExploreArgs.F(r.Fid, "0.00"),
                .. (r.Hist ?? []).Select(h => ExploreArgs.F(100 * h, "0.0"))]).ToList();
            if (floor is double fl) table.Add(["test vs train (floor)", "-", ExploreArgs.F(fl, "0.00")]);
            report.Section("Summary").Table(header, table);
            string reportPath = ExploreArgs.SaveReport(dir, report);
            if (term.Json)
                JsonOut.Write(stdout, w =>
                {
                    w.WriteStartObject();
                    w.WriteString("command", "explore samples");
                    w.WriteNumber("count", n);
                    if (floor is double f) w.Number("fidFloor", f);
                    w.WriteStartArray("models");
                    foreach (var r in results)
                    {
                        w.WriteStartObject();
                        w.WriteString("model", r.Model);
                        w.Number("meanConfidence", r.Confidence);
                        w.Number("fid", r.Fid);
                        if (r.Hist is not null)
                        {
                            w.WriteStartArray("classShares");
                            foreach (double h in r.Hist) w.WriteNumberValue(h);
                            w.WriteEndArray();
                        }
                        w.WriteString("grid", r.Grid);
                        w.WriteEndObject();
                    }
                    w.WriteEndArray();
                    w.WriteString("report", reportPath);
                    w.WriteEndObject();
                });
            else
            {
                term.Table($"{n} samples per model (seed {p.GetValue(seed).ToString(CultureInfo.InvariantCulture)})", header, table);
                stdout.WriteLine($"report: {reportPath}");
            }
            return 0;
        });
        return cmd;
    }
}

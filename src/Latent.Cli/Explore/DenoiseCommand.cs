// `latent explore denoise`: seed 003's fig. 9.6. Test images corrupted by Gaussian noise (sigma) or salt-and-pepper
// noise (p) at several levels (ImageNoise, seeded), cleaned by each model, G(E(x~)), and compared with the clean
// images: PSNR of the noisy and of each model's output against the clean images over --count test images, per level,
// and one PNG per level with rows noisy, each model, clean.
using System.CommandLine;
using System.Globalization;
using Latent.Cli.Output;
using Latent.Data;
using Latent.Models.Exploration;
using Latent.Reporting.Images;
using Latent.Reporting.Plots;
using Latent.Reporting.Report;

namespace Latent.Cli.Explore;

internal static class DenoiseCommand
{
    public static Command Build(TextWriter stdout, TextWriter stderr, bool interactive)
    {
        var files = ExploreArgs.ModelFiles();
        var output = ExploreArgs.Out();
        var dataset = ExploreArgs.Dataset();
        var seed = ExploreArgs.Seed();
        var noise = new Option<string>("--noise") { Description = "gaussian (levels are sigma) or salt-pepper (levels are the share of pixels replaced).", DefaultValueFactory = _ => "gaussian" };
        var levels = new Option<string>("--levels") { Description = "Comma list of noise levels.", DefaultValueFactory = _ => "0.1,0.3,0.5,0.7" };
        var count = new Option<int>("--count") { Description = "Test images the PSNR is measured on (the first of the test set).", DefaultValueFactory = _ => 1000 };
        var show = new Option<int>("--show") { Description = "Images per row of the PNG grids.", DefaultValueFactory = _ => 10 };
        var cmd = new Command("denoise", "Add noise to test images, clean them with each model, and measure the PSNR gain.") { files, output, dataset, seed, noise, levels, count, show };
        cmd.SetAction(p =>
        {
            var term = new Terminal(stdout, stderr, p.GetValue(LatentCommand.Json), interactive);
            var type = CliChoice.Parse(p.GetValue(noise), "--noise", "noise", ("gaussian", NoiseType.Gaussian), ("salt-pepper", NoiseType.SaltPepper))!.Value;
            var lv = ParseLevels(p.GetValue(levels)!, type);
            int n = p.GetValue(count), s = p.GetValue(show);
            if (n < 1 || n > 10_000) throw new CliException($"--count {n}: give 1 to 10000 test images.");
            if (s < 1 || s > 32) throw new CliException($"--show {s}: give 1 to 32 images per row.");
            string dir = ExploreArgs.OutDir(p.GetValue(output));
            var models = p.GetValue(files)!.Select(path => { var (l, sp) = ExploreArgs.EncodingSpace(path, "denoising"); return (Path: path, Name: l.Entry.Name, Space: sp); }).ToList();
            var (test, d) = ExploreArgs.Load(p.GetValue(dataset)!, Split.Test, p, term);
            foreach (var m in models) ExploreArgs.CheckShape(test, m.Space.Shape, m.Path);
            n = Math.Min(n, test.Count);
            s = Math.Min(s, n);
            int dim = test.Dim;
            var clean = test.Pixels.AsSpan(0, n * dim).ToArray();
            var report = new ExploreReport("Denoising", $"{string.Join(", ", models.Select(m => $"{m.Name} ({m.Path})"))}; {n} {d.Name} test images, {p.GetValue(noise)} noise");
            var rows = new List<(double Level, double Noisy, double[] Models)>();
            foreach (double level in lv)
            {
                var noisy = ImageNoise.Apply(clean, type, level, (ulong)(uint)p.GetValue(seed));
                var outs = models.Select(m => m.Space.Decode(m.Space.Encode(noisy, n), n)).ToList();
                rows.Add((level, Psnr.Of(clean, noisy), outs.Select(o => Psnr.Of(clean, o)).ToArray()));
                var grid = new List<float>();
                grid.AddRange(noisy.AsSpan(0, s * dim).ToArray());
                foreach (var o in outs) grid.AddRange(o.AsSpan(0, s * dim).ToArray());
                grid.AddRange(clean.AsSpan(0, s * dim).ToArray());
                string lt = level.ToString("0.###", CultureInfo.InvariantCulture);
                report.Section($"Noise level {lt}");
                ExploreArgs.Grid(dir, $"denoise-{lt}.png", grid.ToArray(), (models.Count + 2) * s, Latent.Models.ImageShape.Gray(test.Height, test.Width),
                    new ImageGridOptions { Columns = s, Scale = 2, RowLabels = ["noisy", .. models.Select(m => m.Name), "clean"] }, report, $"Rows: noisy (level {lt}), each model's output, clean");
            }
            var xs = lv.ToArray();
            report.Section("PSNR against the clean images");
            ExploreArgs.Svg(dir, "denoise-psnr.svg", LinePlot.Render(
                [new LineSeries("noisy", xs, rows.Select(r => r.Noisy).ToArray()), .. models.Select((m, i) => new LineSeries(m.Name, xs, rows.Select(r => r.Models[i]).ToArray()))],
                new LinePlotOptions { XLabel = "noise level", YLabel = "PSNR (dB)", XAxis = AxisKind.Linear, IncludeZero = false }), report, "PSNR per noise level");
            var header = new List<string> { "level", "noisy PSNR (dB)" };
            foreach (var m in models) header.AddRange([$"{m.Name} PSNR (dB)", $"{m.Name} gain (dB)"]);
            var table = rows.Select(r =>
            {
                var c = new List<string> { r.Level.ToString("0.###", CultureInfo.InvariantCulture), ExploreArgs.F(r.Noisy, "0.00") };
                for (int i = 0; i < models.Count; i++) c.AddRange([ExploreArgs.F(r.Models[i], "0.00"), ExploreArgs.F(r.Models[i] - r.Noisy, "0.00")]);
                return (IReadOnlyList<string>)c;
            }).ToList();
            report.Table(header, table);
            string reportPath = ExploreArgs.SaveReport(dir, report);
            if (term.Json)
                JsonOut.Write(stdout, w =>
                {
                    w.WriteStartObject();
                    w.WriteString("command", "explore denoise");
                    w.WriteString("noise", p.GetValue(noise));
                    w.WriteNumber("images", n);
                    w.WriteStartArray("levels");
                    foreach (var r in rows)
                    {
                        w.WriteStartObject();
                        w.WriteNumber("level", r.Level);
                        w.Number("noisyPsnr", r.Noisy);
                        w.WriteStartObject("models");
                        for (int i = 0; i < models.Count; i++)
                        {
                            w.WriteStartObject($"{i + 1}-{models[i].Name}");
                            w.Number("psnr", r.Models[i]);
                            w.Number("gain", r.Models[i] - r.Noisy);
                            w.WriteEndObject();
                        }
                        w.WriteEndObject();
                        w.WriteEndObject();
                    }
                    w.WriteEndArray();
                    w.WriteString("report", reportPath);
                    w.WriteEndObject();
                });
            else
            {
                term.Table($"PSNR over {n} test images, {p.GetValue(noise)} noise", header, table);
                stdout.WriteLine($"report: {reportPath}");
            }
            return 0;
        });
        return cmd;
    }

    private static double[] ParseLevels(string text, NoiseType type)
    {
        var parts = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length == 0 || parts.Length > 16) throw new CliException($"--levels '{text}': give 1 to 16 comma-separated levels, e.g. 0.1,0.3,0.5.");
        return parts.Select(t =>
        {
            if (!double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !double.IsFinite(v) || v < 0)
                throw new CliException($"--levels: '{t}' is not a finite level >= 0; e.g. --levels 0.1,0.3,0.5.");
            if (type == NoiseType.SaltPepper && v > 1) throw new CliException($"--levels: salt-and-pepper level {t} is a share of pixels; give 0 to 1.");
            return v;
        }).ToArray();
    }
}

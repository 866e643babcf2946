// `latent explore map`: seed 003's figures of a 2-D latent space, for one or more models side by side: the test set's
// codes as a scatter coloured by class (SVG), and the decoded manifold, an n x n lattice of codes decoded to one PNG
// (Lattice): at the normal quantiles for a model with a variational encoder (its prior is N(0, I)), else across the
// 1st to 99th percentile of the test codes (--lattice chooses). A model whose latent is not 2 is an error saying how
// to train one.
using System.CommandLine;
using Latent.Cli.Output;
using Latent.Data;
using Latent.Models;
using Latent.Models.Exploration;
using Latent.Reporting.Images;
using Latent.Reporting.Plots;
using Latent.Reporting.Report;

namespace Latent.Cli.Explore;

internal static class MapCommand
{
    public static Command Build(TextWriter stdout, TextWriter stderr, bool interactive)
    {
        var files = ExploreArgs.ModelFiles();
        var output = ExploreArgs.Out();
        var dataset = ExploreArgs.Dataset();
        var side = new Option<int>("--side") { Description = $"Lattice points a side, 1 to {Lattice.MaxSide}.", DefaultValueFactory = _ => 15 };
        var lattice = new Option<string?>("--lattice") { Description = "quantiles (normal quantiles, for a N(0, I) prior) or range (the test codes' 1st to 99th percentile); default: quantiles for a VAE, range otherwise." };
        var cmd = new Command("map", "Maps of a 2-D latent space: the test codes coloured by class, and the decoded manifold.") { files, output, dataset, side, lattice };
        cmd.SetAction(p =>
        {
            var term = new Terminal(stdout, stderr, p.GetValue(LatentCommand.Json), interactive);
            int n = p.GetValue(side);
            if (n < 1 || n > Lattice.MaxSide) throw new CliException($"--side {n}: give 1 to {Lattice.MaxSide} lattice points a side (e.g. 15).");
            bool? quantiles = CliChoice.Parse(p.GetValue(lattice), "--lattice", "lattice", ("quantiles", true), ("range", false));
            string dir = ExploreArgs.OutDir(p.GetValue(output));
            var paths = p.GetValue(files)!;
            var models = paths.Select(path =>
            {
                var (loaded, space) = ExploreArgs.Space(path);
                if (space.Latent != 2)
                    throw new CliException($"--model-file {path} has a {space.Latent}-D latent space; a map needs 2-D: train one with " +
                        $"`latent train --model {loaded.Entry.Name} --class all --latent 2{(loaded.Entry.IsTrained ? " --arch dense --dense-widths 512" : "")} --out {loaded.Entry.Name}2.safetensors`.");
                return (Path: path, Loaded: loaded, Space: space);
            }).ToList();
            var (test, d) = ExploreArgs.Load(p.GetValue(dataset)!, Split.Test, p, term);
            var report = new ExploreReport("2-D latent maps", $"{string.Join(", ", paths)}; {d.Name} test set");
            var written = new List<(string Model, string? Scatter, string Manifold, double[] Xs, double[] Ys)>();
            int k = 0;
            foreach (var (path, loaded, space) in models)
            {
                k++;
                ExploreArgs.CheckShape(test, space.Shape, path);
                string name = $"{k}-{loaded.Entry.Name}";
                report.Section($"{loaded.Entry.Name} ({path})");
                float[]? z = space.CanEncode ? space.Encode(test.Pixels, test.Count) : null;
                string? scatterPath = null;
                if (z is not null)
                {
                    var x1 = new double[test.Count];
                    var x2 = new double[test.Count];
                    for (int i = 0; i < test.Count; i++) { x1[i] = z[2 * i]; x2[i] = z[2 * i + 1]; }
                    scatterPath = ExploreArgs.Svg(dir, $"{name}-codes.svg",
                        ScatterPlot.Render(x1, x2, ExploreArgs.Labels(test), d.ClassNames, $"{loaded.Entry.Name}: test codes"), report, $"{loaded.Entry.Name}: the test set's codes by class");
                }
                bool q = quantiles ?? (loaded.Generative is IVariationalEncoder || z is null);
                double[] xs, ys;
                if (q) xs = ys = Lattice.NormalQuantiles(n);
                else
                {
                    xs = Lattice.Linear(Percentile(z!, 0, 0.01), Percentile(z!, 0, 0.99), n);
                    ys = Lattice.Linear(Percentile(z!, 1, 0.01), Percentile(z!, 1, 0.99), n);
                }
                float[] images = space.Decode(Lattice.Codes(xs, ys), n * n);
                string manifold = ExploreArgs.Grid(dir, $"{name}-manifold.png", images, n * n, space.Shape, new ImageGridOptions { Columns = n, Padding = 0, Scale = 1 }, report,
                    $"{loaded.Entry.Name}: decoded lattice, z1 {ExploreArgs.F(xs[0], "0.00")} to {ExploreArgs.F(xs[^1], "0.00")} (left to right), z2 {ExploreArgs.F(ys[^1], "0.00")} to {ExploreArgs.F(ys[0], "0.00")} (top to bottom), {(q ? "normal quantiles" : "test-code range")}");
                written.Add((loaded.Entry.Name, scatterPath, manifold, xs, ys));
            }
            string reportPath = ExploreArgs.SaveReport(dir, report);
            if (term.Json)
                JsonOut.Write(stdout, w =>
                {
                    w.WriteStartObject();
                    w.WriteString("command", "explore map");
                    w.WriteNumber("side", n);
                    w.WriteStartArray("models");
                    foreach (var m in written)
                    {
                        w.WriteStartObject();
                        w.WriteString("model", m.Model);
                        if (m.Scatter is not null) w.WriteString("codes", m.Scatter);
                        w.WriteString("manifold", m.Manifold);
                        w.Number("z1From", m.Xs[0]);
                        w.Number("z1To", m.Xs[^1]);
                        w.Number("z2From", m.Ys[0]);
                        w.Number("z2To", m.Ys[^1]);
                        w.WriteEndObject();
                    }
                    w.WriteEndArray();
                    w.WriteString("report", reportPath);
                    w.WriteEndObject();
                });
            else
            {
                foreach (var m in written) stdout.WriteLine($"{m.Model}: {(m.Scatter is null ? "" : m.Scatter + ", ")}{m.Manifold}");
                stdout.WriteLine($"report: {reportPath}");
            }
            return 0;
        });
        return cmd;
    }

    /// <summary>The q-quantile of coordinate <paramref name="axis"/> of (N, 2) codes (nearest rank).</summary>
    private static double Percentile(float[] z, int axis, double q)
    {
        var v = new double[z.Length / 2];
        for (int i = 0; i < v.Length; i++) v[i] = z[2 * i + axis];
        Array.Sort(v);
        return v[Math.Clamp((int)Math.Round(q * (v.Length - 1)), 0, v.Length - 1)];
    }
}

// Renders a class-modelling run: the results table (and the one-vs-rest AUROC table, with the mean's bootstrap
// interval over the test set, MeanAurocInterval), or with
// --json one document whose "results" hold one object per (real, fake, model, latent, score). The balanced error and
// its threshold are the oracle's (the threshold is tuned on the test fakes); with --alpha a second table (and a
// "conformal" object per result) gives the false-alarm rate on the real test images and the detection rate on the
// fake ones at the conformal thresholds, which need no fakes.
using System.Globalization;
using Latent.Cli.Output;
using Latent.Models.Evaluation;

namespace Latent.Cli;

public static class ClassModelOutput
{
    /// <summary>Writes the run; with <paramref name="pairs"/> (a one-vs-rest run) also the balanced error of every
    /// (real, fake) class pair from the same scores (PairwiseErrors).</summary>
    public static void Write(ClassModelRun run, Terminal term, string? reportIndex = null, bool pairs = false)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(term);
        var matrices = pairs ? PairwiseErrors.Of(run) : null;
        if (term.Json) WriteJson(run, term.Out, reportIndex, matrices);
        else
        {
            WriteText(run, term);
            if (matrices is not null) WritePairsText(matrices, term);
            if (reportIndex is not null) term.Out.WriteLine($"report: {reportIndex}");
        }
    }

    private static string F(double v, string fmt) => double.IsFinite(v) ? v.ToString(fmt, CultureInfo.InvariantCulture) : v.ToString(CultureInfo.InvariantCulture);

    private static void WriteText(ClassModelRun run, Terminal term)
    {
        var req = run.Request;
        var rows = run.Entries.Select(e => (IReadOnlyList<string>)
        [
            e.Result.Real, e.Result.Fake, e.Result.Model, e.Result.Latent?.ToString(CultureInfo.InvariantCulture) ?? "-", e.Result.Score,
            F(100 * e.Result.BalancedError, "0.00"), $"{F(100 * e.Result.BalancedErrorLow, "0.00")}-{F(100 * e.Result.BalancedErrorHigh, "0.00")}", F(100 * e.Result.PooledError, "0.00"), F(e.Result.Auroc, "0.0000"), F(e.Result.Threshold, "G6"),
        ]);
        if (!run.OneVsRest)
            term.Table($"{run.DataName}: {req.Model.Name}, real {First(run)?.Real} vs fake {First(run)?.Fake} " +
                       $"(train {run.TrainCount}, test {run.RealCount} real / {run.FakeCount} fake)",
                ["real", "fake", "model", "latent", "score", "oracle bal.err %", "95% CI", "pooled %", "AUROC", "oracle threshold"], rows);
        else
        {
            var classes = run.RealClasses.Select(c => run.ClassNames[c]).ToArray();
            var groups = run.Entries.GroupBy(e => (e.Result.Model, e.Result.Latent, e.Result.Score));
            var table = groups.Select(g =>
            {
                var aurocs = classes.Select(c => g.First(e => e.Result.Real == c).Result.Auroc).ToArray();
                var cells = new List<string> { g.Key.Model, g.Key.Latent?.ToString(CultureInfo.InvariantCulture) ?? "-", g.Key.Score };
                cells.AddRange(aurocs.Select(a => F(a, "0.0000")));
                cells.Add(F(aurocs.Average(), "0.0000"));
                cells.Add(MeanAurocInterval.Of(run, g) is { } ci ? $"{F(ci.Low, "0.0000")}-{F(ci.High, "0.0000")}" : "-");
                return (IReadOnlyList<string>)cells;
            });
            string[] header = ["model", "latent", "score", .. classes, "mean", "95% CI (bootstrap)"];
            term.Table($"{run.DataName}: one-vs-rest AUROC per class (train on the class, test on the whole test set)", header, table);
        }
        if (run.Entries.Any(e => e.Conformal is not null)) WriteConformalText(run, term);
        term.Out.WriteLine($"fit + score time: {run.Seconds:0.00} s");
    }

    private static void WritePairsText(IReadOnlyList<PairwiseErrors> matrices, Terminal term)
    {
        foreach (var m in matrices)
        {
            var rows = m.Reals.Select((r, i) => (IReadOnlyList<string>)
                [m.ClassNames[r], .. Enumerable.Range(0, m.ClassNames.Count).Select(j => j == r ? "-" : F(100 * m.Error[i, j], "0.00"))]);
            term.Table($"{m.Caption}: balanced error % of every class pair (row: the class fitted on, real; column: the fake class; the one-vs-rest scores)",
                ["real \\ fake", .. m.ClassNames], rows);
            var (wr, wf, we) = m.Worst;
            term.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{m.Caption}: mean over the {m.Pairs().Count()} pairs {100 * m.MeanError:0.00} %, worst {m.ClassNames[wr]} vs {m.ClassNames[wf]} {100 * we:0.00} %"));
        }
    }

    private static void WriteConformalText(ClassModelRun run, Terminal term)
    {
        var first = run.Entries.First(e => e.Conformal is not null).Conformal!;
        bool conditional = first.Delta is not null;
        string[] header = ["real", "model", "latent", "score", "n cal", "threshold", "FAR %", "detect %",
            .. conditional ? new[] { "cond. threshold", "cond. FAR %", "cond. detect %" } : []];
        var rows = run.Entries.Where(e => e.Conformal is not null).Select(e =>
        {
            var c = e.Conformal!;
            var cells = new List<string>
            {
                e.Result.Real, e.Result.Model, e.Result.Latent?.ToString(CultureInfo.InvariantCulture) ?? "-", e.Result.Score,
                c.CalibrationCount.ToString(CultureInfo.InvariantCulture), F(c.Threshold, "G6"), F(100 * c.FalseAlarmRate, "0.00"), F(100 * c.DetectionRate, "0.00"),
            };
            if (conditional) cells.AddRange([F(c.ConditionalThreshold, "G6"), F(100 * c.ConditionalFalseAlarmRate, "0.00"), F(100 * c.ConditionalDetectionRate, "0.00")]);
            return (IReadOnlyList<string>)cells;
        });
        string level = string.Create(CultureInfo.InvariantCulture, $"alpha {first.Alpha}{(conditional ? $", delta {first.Delta}" : "")}");
        term.Table($"{run.DataName}: conformal thresholds from held-out calibration images ({level}): false alarms on the real test images, detections on the fake ones",
            header, rows);
    }

    private static void WriteJson(ClassModelRun run, TextWriter output, string? reportIndex, IReadOnlyList<PairwiseErrors>? matrices)
    {
        var req = run.Request;
        JsonOut.Write(output, w =>
        {
            w.WriteStartObject();
            w.WriteString("command", "classmodel");
            w.WriteString("dataset", run.DataName);
            w.WriteString("model", req.Model.Name);
            w.WriteBoolean("oneVsRest", run.OneVsRest);
            w.WriteNumber("seconds", run.Seconds);
            w.WriteString("thresholdKind", "oracle");   // balancedError and threshold are tuned on the test fakes; "conformal" needs none
            if (reportIndex is not null) w.WriteString("report", reportIndex);
            w.WriteStartArray("results");
            foreach (var e in run.Entries)
            {
                var r = e.Result;
                w.WriteStartObject();
                w.WriteString("real", r.Real);
                w.WriteString("fake", r.Fake);
                w.WriteString("model", r.Model);
                if (r.Latent is int k) w.WriteNumber("latent", k); else w.WriteNull("latent");
                w.WriteString("score", r.Score);
                w.Number("balancedError", r.BalancedError);
                w.Number("balancedErrorLow", r.BalancedErrorLow);
                w.Number("balancedErrorHigh", r.BalancedErrorHigh);
                w.Number("pooledError", r.PooledError);
                w.Number("auroc", r.Auroc);
                w.Number("threshold", r.Threshold);
                if (e.Conformal is { } c)
                {
                    w.WriteStartObject("conformal");
                    w.Number("alpha", c.Alpha);
                    w.WriteNumber("calibrationCount", c.CalibrationCount);
                    w.Number("threshold", c.Threshold);
                    w.Number("falseAlarmRate", c.FalseAlarmRate);
                    w.Number("detectionRate", c.DetectionRate);
                    if (c.Delta is double d)
                    {
                        w.Number("delta", d);
                        w.Number("conditionalThreshold", c.ConditionalThreshold);
                        w.Number("conditionalFalseAlarmRate", c.ConditionalFalseAlarmRate);
                        w.Number("conditionalDetectionRate", c.ConditionalDetectionRate);
                    }
                    w.WriteEndObject();
                }
                w.WriteEndObject();
            }
            w.WriteEndArray();
            if (run.OneVsRest)
            {
                w.WriteStartArray("meanAuroc");
                foreach (var g in run.Entries.GroupBy(e => (e.Result.Model, e.Result.Latent, e.Result.Score)))
                {
                    w.WriteStartObject();
                    w.WriteString("model", g.Key.Model);
                    if (g.Key.Latent is int k) w.WriteNumber("latent", k); else w.WriteNull("latent");
                    w.WriteString("score", g.Key.Score);
                    w.Number("auroc", g.Average(e => e.Result.Auroc));
                    if (MeanAurocInterval.Of(run, g) is { } ci)
                    {
                        w.Number("aurocLow", ci.Low);
                        w.Number("aurocHigh", ci.High);
                    }
                    w.WriteEndObject();
                }
                w.WriteEndArray();
            }
            if (matrices is not null)
            {
                w.WriteStartArray("pairs");
                foreach (var m in matrices)
                {
                    w.WriteStartObject();
                    w.WriteString("model", m.Model);
                    if (m.Latent is int k) w.WriteNumber("latent", k); else w.WriteNull("latent");
                    w.WriteString("score", m.Score);
                    w.Number("meanBalancedError", m.MeanError);
                    w.WriteStartArray("pairs");
                    for (int i = 0; i < m.Reals.Count; i++)
                        for (int j = 0; j < m.ClassNames.Count; j++)
                        {
                            if (j == m.Reals[i]) continue;
                            w.WriteStartObject();
                            w.WriteString("real", m.ClassNames[m.Reals[i]]);
                            w.WriteString("fake", m.ClassNames[j]);
                            w.Number("balancedError", m.Error[i, j]);
                            w.Number("auroc", m.Auroc[i, j]);
                            w.WriteEndObject();
                        }
                    w.WriteEndArray();
                    w.WriteEndObject();
                }
                w.WriteEndArray();
            }
            w.WriteEndObject();
        });
    }

    private static ClassModelResult? First(ClassModelRun run) => run.Entries.Count > 0 ? run.Entries[0].Result : null;
}

// The decision `latent score` takes per calibrated score of a model saved with calibration scores: each image's
// conformal p-value, and novel iff p <= --alpha (default 0.05; the marginal threshold), or score above the
// calibration-conditional threshold with --delta, or rejected by Benjamini-Hochberg at FDR --fdr over all the images
// scored. Every rule but BH decides an image alone, batch by batch; BH ranks every p-value of the input, so the
// command scores the input twice (ScoreCommand): first only keeping the p-values, to find BH's cut-off
// (BenjaminiHochberg.Threshold), then deciding each image by p <= cut-off as it streams. --fdr is refused with
// --shard, as a shard sees only its share of the p-values.
using System.Globalization;
using Latent.Models;
using Latent.Models.Conformal;

namespace Latent.Cli.Scoring;

internal sealed class ScoreRule
{
    /// <summary>--alpha when the model has calibration and none is given.</summary>
    public const double DefaultAlpha = 0.05;

    private readonly ConformalCalibration calibration;
    private readonly Dictionary<string, double> thresholds = [];   // score > threshold, or (BH) p <= cut-off
    private readonly double alpha;

    private ScoreRule(ConformalCalibration calibration, IReadOnlyList<ScoreInfo> scores, double alpha, double? delta, double? fdr)
    {
        this.calibration = calibration;
        this.alpha = alpha;
        Fdr = fdr;
        Delta = delta;
        Names = [.. scores.Select(s => s.Name).Where(calibration.Has)];
        if (fdr is null)
            foreach (string name in Names)
                thresholds[name] = delta is double d ? calibration[name].ConditionalThreshold(alpha, d) : calibration[name].Threshold(alpha);
    }

    /// <summary>The calibrated scores, in the model's order.</summary>
    public IReadOnlyList<string> Names { get; }

    public double? Fdr { get; }
    public double? Delta { get; }

    /// <summary>The rule for the model's calibration, or null when it has none and none was asked for; asking
    /// (--alpha, --delta, --fdr) a model without calibration is an error saying how to add it.</summary>
    public static ScoreRule? For(LoadedModel loaded, string path, IReadOnlyList<ScoreInfo> scores, double? alpha, double? delta, double? fdr)
    {
        bool asked = alpha is not null || delta is not null || fdr is not null;
        if (loaded.Calibration is not { } cal)
        {
            if (!asked) return null;
            throw new CliException($"--model-file {path} has no calibration scores, so it cannot give p-values (--alpha, --delta, --fdr); " +
                $"retrain it holding out calibration images: latent train --model {loaded.Entry.Name} ... --calibration {CalibrationSplit.DefaultFraction.ToString(CultureInfo.InvariantCulture)}.");
        }
        if (fdr is not null && delta is not null) throw new CliException("--fdr and --delta are different rules (a batch's false discovery rate, one image's false-alarm rate); give one.");
        if (fdr is not null && alpha is not null) throw new CliException("--fdr and --alpha are different rules (a batch's false discovery rate, one image's false-alarm rate); give one.");
        double a = alpha ?? DefaultAlpha;
        ConformalScores.CheckLevel("--alpha", a);
        if (fdr is double q) ConformalScores.CheckLevel("--fdr", q);
        return new ScoreRule(cal, scores, a, delta, fdr);
    }

    /// <summary>True until BH's cut-offs are set (--fdr): the first pass, which only collects p-values.</summary>
    public bool NeedsCutOffs => Fdr is not null && thresholds.Count < Names.Count;

    /// <summary>Each calibrated score's p-values of a batch.</summary>
    public Dictionary<string, double[]> PValues(IReadOnlyDictionary<string, double[]> values) =>
        Names.ToDictionary(n => n, n => values[n].Select(calibration[n].PValue).ToArray());

    /// <summary>(--fdr) BH's cut-off per score from all the p-values of the input.</summary>
    public void SetCutOffs(IReadOnlyDictionary<string, List<double>> pValues)
    {
        foreach (string name in Names) thresholds[name] = BenjaminiHochberg.Threshold(pValues[name], Fdr!.Value);
    }

    /// <summary>Per calibrated score: the batch's p-values and decisions.</summary>
    public List<(string Name, double[] P, bool[] Novel)> Decide(IReadOnlyDictionary<string, double[]> values)
    {
        if (NeedsCutOffs) throw new InvalidOperationException("BH's cut-offs are not set: the p-values of the whole input come first.");
        var result = new List<(string, double[], bool[])>();
        foreach (var (name, p) in PValues(values))
        {
            double t = thresholds[name];
            bool[] novel = Fdr is null ? [.. values[name].Select(s => s > t)] : [.. p.Select(v => v <= t)];
            result.Add((name, p, novel));
        }
        return result;
    }

    /// <summary>The rule in words, for titles and the JSON document.</summary>
    public string Describe()
    {
        string a = alpha.ToString(CultureInfo.InvariantCulture);
        return Fdr is double q ? $"novel = Benjamini-Hochberg over these images at FDR {q.ToString(CultureInfo.InvariantCulture)}"
            : Delta is double d ? $"novel = score above the threshold with false-alarm rate <= {a} with probability {(1 - d).ToString(CultureInfo.InvariantCulture)}"
            : $"novel = p <= {a}";
    }
}

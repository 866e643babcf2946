// Every class pair of a one-vs-rest run (issue 17: "the same settings carried unchanged to every other pair of
// digits"). One-vs-rest already scores, for each modelled class r, r's test samples and every other class's: the pair
// (r, f) is r's real scores against the fake scores of class f's samples only, so the whole (real x fake) matrix of
// balanced errors at the oracle threshold (and of AUROCs) comes from the same fits and scores, with no extra model.
//   Error[i, j]: real class Reals[i] (fitted on), fake class j (a class index); NaN on the diagonal.
using System.Globalization;

namespace Latent.Models.Evaluation;

/// <summary>The balanced error and AUROC of every (real, fake) class pair of one (model, latent, score) of a one-vs-rest run.</summary>
public sealed record PairwiseErrors(string Model, int? Latent, string Score, IReadOnlyList<int> Reals, IReadOnlyList<string> ClassNames,
    double[,] Error, double[,] Auroc)
{
    /// <summary>The mean balanced error over the ordered pairs (real, fake), real != fake.</summary>
    public double MeanError => Pairs().Average(p => p.Error);

    /// <summary>The pair with the highest balanced error.</summary>
    public (int Real, int Fake, double Error) Worst => Pairs().MaxBy(p => p.Error);

    /// <summary>Every ordered pair (real, fake) with its balanced error.</summary>
    public IEnumerable<(int Real, int Fake, double Error)> Pairs()
    {
        for (int i = 0; i < Reals.Count; i++)
            for (int j = 0; j < ClassNames.Count; j++)
                if (Reals[i] != j && double.IsFinite(Error[i, j])) yield return (Reals[i], j, Error[i, j]);
    }

    /// <summary>One matrix per (model, latent, score) of <paramref name="run"/>, a one-vs-rest run whose entries carry
    /// their fake samples' classes.</summary>
    public static IReadOnlyList<PairwiseErrors> Of(ClassModelRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (!run.OneVsRest) throw new ArgumentException("the class pairs come from a one-vs-rest run (--real all --fake rest).");
        int n = run.ClassNames.Count;
        var result = new List<PairwiseErrors>();
        foreach (var g in run.Entries.GroupBy(e => (e.Result.Model, e.Result.Latent, e.Result.Score)))
        {
            var error = new double[run.RealClasses.Count, n];
            var auroc = new double[run.RealClasses.Count, n];
            for (int i = 0; i < run.RealClasses.Count; i++)
            {
                string real = run.ClassNames[run.RealClasses[i]];
                var e = g.FirstOrDefault(x => x.Result.Real == real)
                    ?? throw new ArgumentException($"{g.Key.Model} {g.Key.Score} has no row for class {real}.");
                var labels = e.FakeLabels ?? throw new ArgumentException($"{g.Key.Model} {g.Key.Score}, class {real}: the fake samples' classes are not known.");
                if (labels.Count != e.FakeScores.Length) throw new ArgumentException($"{labels.Count} fake labels for {e.FakeScores.Length} fake scores.");
                for (int j = 0; j < n; j++)
                {
                    error[i, j] = auroc[i, j] = double.NaN;
                    if (j == run.RealClasses[i]) continue;
                    var fake = new List<double>();
                    for (int k = 0; k < labels.Count; k++) if (labels[k] == j) fake.Add(e.FakeScores[k]);
                    if (fake.Count == 0) continue;
                    var m = BinaryMetrics.Compute(e.RealScores, fake.ToArray());
                    error[i, j] = m.BalancedError;
                    auroc[i, j] = m.Auroc;
                }
            }
            result.Add(new PairwiseErrors(g.Key.Model, g.Key.Latent, g.Key.Score, run.RealClasses, run.ClassNames, error, auroc));
        }
        return result;
    }

    /// <summary>A caption: "model k=latent score".</summary>
    public string Caption => Latent is int k ? string.Create(CultureInfo.InvariantCulture, $"{Model} k={k} {Score}") : $"{Model} {Score}";
}

// Scores the real and fake test samples with a fitted class model and turns every score into a
// result row (with the balanced error's 95 % bootstrap interval). Shared by every model, classical and deep.
namespace Latent.Models.Evaluation;

/// <summary>Scores the real and fake test samples with a fitted class model and turns every score into a result row (with the balanced error's 95 % bootstrap interval).</summary>
public static class Evaluator
{
    /// <summary>One result per requested score (all of the model's when <paramref name="scores"/> is null), plus the raw scores.</summary>
    public static IReadOnlyList<(ClassModelResult Result, double[] Real, double[] Fake)> Evaluate(
        IClassModel model, Samples real, Samples fake, string realName, string fakeName, IReadOnlyCollection<string>? scores = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        var sr = model.Score(real);
        var sf = model.Score(fake);
        var rows = new List<(ClassModelResult, double[], double[])>();
        foreach (var info in model.Scores)
        {
            if (scores is not null && !scores.Contains(info.Name)) continue;
            var m = BinaryMetrics.Compute(sr[info.Name], sf[info.Name]);
            var (low, high) = BalancedErrorInterval.Compute(sr[info.Name], sf[info.Name]);
            rows.Add((new ClassModelResult(realName, fakeName, model.Name, model.Latent, info.Name,
                m.BalancedError, m.PooledError, m.Auroc, m.Threshold, low, high), sr[info.Name], sf[info.Name]));
        }
        return rows;
    }
}

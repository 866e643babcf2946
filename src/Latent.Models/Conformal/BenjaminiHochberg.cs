// The Benjamini-Hochberg step-up procedure (Benjamini & Hochberg 1995, JRSS B 57(1)): given m p-values, reject the
// hypotheses with the R smallest, R = max{r : p_(r) <= r q / m} (0 when none). Over a batch of test samples scored
// against the same calibration set, conformal p-values are positively dependent (PRDS), so BH keeps the expected
// share of normal samples among those flagged novel (the false discovery rate) at most q m0 / m <= q
// (Bates et al. 2023, Theorem 3).
namespace Latent.Models.Conformal;

/// <summary>The Benjamini-Hochberg step-up procedure (Benjamini &amp; Hochberg 1995, JRSS B 57(1)): given m p-values, reject the hypotheses with the R smallest, R = max{r : p_(r) &lt;= r q / m} (0 when none).</summary>
public static class BenjaminiHochberg
{
    /// <summary>Which of <paramref name="pValues"/> are rejected (flagged novel) at false discovery rate q.</summary>
    public static bool[] Reject(IReadOnlyList<double> pValues, double q)
    {
        ArgumentNullException.ThrowIfNull(pValues);
        ConformalScores.CheckLevel("--fdr", q);
        int m = pValues.Count;
        var order = Enumerable.Range(0, m).Where(i => !double.IsNaN(pValues[i])).OrderBy(i => pValues[i]).ToArray();
        int r = 0;
        for (int j = 0; j < order.Length; j++)
            if (pValues[order[j]] <= (j + 1) * q / m) r = j + 1;
        var reject = new bool[m];
        for (int j = 0; j < r; j++) reject[order[j]] = true;
        return reject;
    }

    /// <summary>BH's cut-off p_(R) at false discovery rate q: the p-values at most it are exactly those
    /// <see cref="Reject"/> rejects (ties at p_(R) have ranks at most R, so they are rejected too); -1 when none is.
    /// A caller that cannot hold the samples (streaming over millions) keeps the p-values, takes the cut-off, and
    /// decides each sample afterwards by p &lt;= cut-off.</summary>
    public static double Threshold(IReadOnlyList<double> pValues, double q)
    {
        ArgumentNullException.ThrowIfNull(pValues);
        ConformalScores.CheckLevel("--fdr", q);
        int m = pValues.Count;
        var sorted = pValues.Where(p => !double.IsNaN(p)).ToArray();
        Array.Sort(sorted);
        double cut = -1;
        for (int j = 0; j < sorted.Length; j++)
            if (sorted[j] <= (j + 1) * q / m) cut = sorted[j];
        return cut;
    }
}

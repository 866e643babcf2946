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
}

// Figures of merit for telling real (the modelled class) from fake (anything else) by a novelty
// score, higher = more novel. Same definitions as ../shared/peers/mnist_io.py `errors_and_auc`:
//   a threshold t predicts "fake" iff score > t; candidate cuts lie between distinct sorted scores,
//   plus "everything real" and "everything fake".
//   balanced error = min over cuts of 0.5 * (FRR + FAR), FRR = reals flagged fake / n_real,
//                    FAR = fakes accepted / n_fake  (the seed study's figure)
//   pooled error   = min over cuts of (reals flagged + fakes accepted) / (n_real + n_fake)
//   AUROC          = P(score_fake > score_real) + 0.5 * P(tie), by ranks with ties averaged
// The reported threshold is that of the balanced-optimal cut (the lowest such cut when several tie):
// the midpoint between the highest score accepted as real and the lowest flagged as fake.
namespace Latent.Models.Evaluation;

/// <summary>Figures of merit for telling real (the modelled class) from fake (anything else) by a novelty score, higher = more novel.</summary>
public readonly record struct BinaryMetrics(double BalancedError, double PooledError, double Auroc, double Threshold)
{
    /// <summary>Computes the metrics; NaN scores are an error naming the set, infinities are ordinary extremes.</summary>
    public static BinaryMetrics Compute(ReadOnlySpan<double> real, ReadOnlySpan<double> fake)
    {
        int nr = real.Length, nf = fake.Length;
        if (nr == 0 || nf == 0) throw new ArgumentException($"need real and fake scores, got {nr} real and {nf} fake.");
        var (s, isFake) = Sorted(real, fake);
        int n = nr + nf;

        double bestBal = double.PositiveInfinity, bestPooled = double.PositiveInfinity, threshold = double.NaN;
        int realBelow = 0, fakeBelow = 0;
        for (int cut = 0; cut <= n; cut++)
        {
            // items [0, cut) predicted real
            if (cut > 0)
            {
                if (isFake[cut - 1]) fakeBelow++; else realBelow++;
            }
            if (cut > 0 && cut < n && s[cut] == s[cut - 1]) continue;
            int missReal = nr - realBelow, missFake = fakeBelow;
            double pooled = (double)(missReal + missFake) / n;
            double bal = 0.5 * ((double)missReal / nr + (double)missFake / nf);
            if (pooled < bestPooled) bestPooled = pooled;
            if (bal < bestBal)
            {
                bestBal = bal;
                threshold = cut == 0 ? NextBelow(s[0]) : cut == n ? s[n - 1] : Midpoint(s[cut - 1], s[cut]);
            }
        }
        return new BinaryMetrics(bestBal, bestPooled, RankAuroc(s, isFake, nr, nf), threshold);
    }

    /// <summary>ROC curve with fake (novel) as the positive class: (FPR, TPR) at every distinct cut, from (0, 0) to (1, 1).</summary>
    public static (double[] Fpr, double[] Tpr) RocCurve(ReadOnlySpan<double> real, ReadOnlySpan<double> fake)
    {
        // Positive class = fake (novel). TPR = fakes flagged / n_fake, FPR = reals flagged / n_real, sweeping t downwards.
        int nr = real.Length, nf = fake.Length, n = nr + nf;
        var (s, isFake) = Sorted(real, fake);
        var fpr = new List<double> { 0 };
        var tpr = new List<double> { 0 };
        int fr = 0, ff = 0;
        for (int i = n - 1; i >= 0; i--)
        {
            if (isFake[i]) ff++; else fr++;
            if (i > 0 && s[i - 1] == s[i]) continue;
            fpr.Add((double)fr / Math.Max(1, nr));
            tpr.Add((double)ff / Math.Max(1, nf));
        }
        return (fpr.ToArray(), tpr.ToArray());
    }

    private static double RankAuroc(double[] sorted, bool[] isFake, int nr, int nf)
    {
        // Sum of the (tie-averaged, 1-based) ranks of the fakes, Mann-Whitney U.
        double fakeRankSum = 0;
        int n = sorted.Length;
        for (int i = 0; i < n;)
        {
            int j = i;
            while (j + 1 < n && sorted[j + 1] == sorted[i]) j++;
            double avgRank = 0.5 * (i + 1 + j + 1);
            for (int q = i; q <= j; q++)
                if (isFake[q]) fakeRankSum += avgRank;
            i = j + 1;
        }
        return (fakeRankSum - nf * (nf + 1) / 2.0) / ((double)nr * nf);
    }

    private static double Midpoint(double a, double b)
    {
        // a < b; infinite scores are allowed (an impossible sample under a density), NaN is not.
        if (double.IsFinite(a) && double.IsFinite(b)) return a + 0.5 * (b - a);
        if (double.IsFinite(a)) return a;          // b = +inf
        if (double.IsFinite(b)) return NextBelow(b); // a = -inf
        return 0;                                  // -inf | +inf

    }

    private static double NextBelow(double v) => double.IsFinite(v) ? v - Math.Max(1.0, Math.Abs(v)) * 1e-9 : v;

    /// <summary>Real and fake scores together in ascending order, with which of them are fake; NaN is an error naming
    /// the set. Ties: a cut never separates equal scores, so their order does not matter.</summary>
    internal static (double[] Sorted, bool[] IsFake) Sorted(ReadOnlySpan<double> real, ReadOnlySpan<double> fake)
    {
        CheckNotNaN(real, "real");
        CheckNotNaN(fake, "fake");
        int nr = real.Length, n = nr + fake.Length;
        var s = new double[n];
        var isFake = new bool[n];
        real.CopyTo(s);
        fake.CopyTo(s.AsSpan(nr));
        for (int i = nr; i < n; i++) isFake[i] = true;
        Array.Sort(s, isFake);
        return (s, isFake);
    }

    private static void CheckNotNaN(ReadOnlySpan<double> s, string which)
    {
        int bad = 0;
        foreach (double v in s) if (double.IsNaN(v)) bad++;
        if (bad > 0) throw new ArgumentException($"{bad} of the {s.Length} {which} scores are NaN; the model or its input is broken.");
    }
}

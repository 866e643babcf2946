// Split-conformal novelty decisions from one score's calibration scores (Bates, Candès, Lei, Romano & Sesia 2023,
// "Testing for outliers with conformal p-values", Ann. Statist. 51(1)). The n calibration scores s_1 .. s_n are the
// scores of normal images the model was NOT fitted on; for a new sample with score s (higher = more novel):
//   p(s) = (1 + #{i : s_i >= s}) / (n + 1)                                   (the conformal p-value, eq. (2))
//   marginal threshold t = s_(k), k = ceil((n + 1)(1 - alpha))              (s_(k) the k-th smallest)
//     "novel iff s > t" is "novel iff p(s) <= alpha"; for exchangeable normal scores the false-alarm rate,
//     averaged over calibration draws, is (n + 1 - k) / (n + 1) <= alpha. Needs alpha >= 1 / (n + 1).
//   calibration-conditional threshold t' = s_(k'), k' the smallest k with P(Binomial(n, 1 - alpha) >= k) <= delta:
//     for continuous scores F(s_(k)) ~ Beta(k, n + 1 - k), so the false-alarm rate 1 - F(s_(k)) exceeds alpha with
//     probability P(U_(k) < 1 - alpha) = P(Binomial(n, 1 - alpha) >= k) <= delta over the calibration draw. This is
//     the exact order-statistic (binomial/Beta) bound for one fixed alpha (Vovk 2012, "Conditional validity of
//     inductive conformal predictors", Prop. 2a; the same Beta law as Bates et al. 2023, Sec. 3), deliberately
//     chosen over the DKW correction alpha' = alpha - sqrt(ln(1/delta) / (2n)), which is looser: it holds for every
//     alpha at once, which a single threshold does not need. Needs (1 - alpha)^n <= delta, i.e.
//     alpha >= 1 - delta^(1/n).
// Ties and infinite scores are ordinary values: p counts scores >= s, the thresholds are calibration scores.
namespace Latent.Models.Conformal;

/// <summary>Split-conformal novelty decisions from one score's calibration scores (Bates, Candès, Lei, Romano &amp; Sesia 2023, "Testing for outliers with conformal p-values").</summary>
public sealed class ConformalScores
{
    private readonly double[] sorted;   // (n) ascending

    /// <summary>One score's calibration scores (any order); NaN is an error, at least one score is needed.</summary>
    public ConformalScores(IEnumerable<double> calibration)
    {
        ArgumentNullException.ThrowIfNull(calibration);
        sorted = calibration.ToArray();
        if (sorted.Length == 0) throw new ArgumentException("conformal calibration needs at least one calibration score, got none.");
        int nan = sorted.Count(double.IsNaN);
        if (nan > 0) throw new ArgumentException($"{nan} of the {sorted.Length} calibration scores are NaN; the model or its calibration images are broken.");
        Array.Sort(sorted);
    }

    /// <summary>n, the number of calibration scores.</summary>
    public int Count => sorted.Length;

    /// <summary>The calibration scores in ascending order.</summary>
    public IReadOnlyList<double> Sorted => sorted;

    /// <summary>The smallest alpha n calibration scores can certify: 1 / (n + 1).</summary>
    public double SmallestAlpha => 1.0 / (Count + 1);

    /// <summary>p(s) = (1 + #{calibration scores &gt;= s}) / (n + 1).</summary>
    public double PValue(double s)
    {
        if (double.IsNaN(s)) return double.NaN;
        // first index with sorted[i] >= s
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < s) lo = mid + 1; else hi = mid;
        }
        return (1.0 + (sorted.Length - lo)) / (sorted.Length + 1);
    }

    /// <summary>The marginal threshold: novel iff score &gt; it, with false-alarm rate at most alpha on average over
    /// calibration draws. Alpha below 1 / (n + 1) is an error naming the smallest certifiable alpha.</summary>
    public double Threshold(double alpha)
    {
        CheckLevel("--alpha", alpha);
        int n = Count;
        if (alpha < SmallestAlpha)
            throw new ArgumentException($"--alpha {alpha.ToString(System.Globalization.CultureInfo.InvariantCulture)} cannot be certified with {n} calibration images: " +
                $"the smallest alpha they certify is 1/(n+1) = {Fmt(SmallestAlpha)}; raise --alpha or hold out more images (--calibration).");
        int k = MarginalRank(n, alpha);
        return sorted[k - 1];
    }

    /// <summary>The calibration-conditional threshold: with probability at least 1 - delta over the calibration draw,
    /// the false-alarm rate at it is at most alpha (exact binomial bound, see the file header).</summary>
    public double ConditionalThreshold(double alpha, double delta)
    {
        CheckLevel("--alpha", alpha);
        CheckLevel("--delta", delta);
        int n = Count;
        int k = ConditionalRank(n, alpha, delta);
        if (k < 0)
            throw new ArgumentException($"--alpha {Fmt(alpha)} --delta {Fmt(delta)} cannot be certified with {n} calibration images: the smallest alpha they certify " +
                $"at this delta is 1 - delta^(1/n) = {Fmt(1 - Math.Pow(delta, 1.0 / n))} (marginally, without --delta, 1/(n+1) = {Fmt(SmallestAlpha)}); " +
                "raise --alpha or --delta, or hold out more images (--calibration).");
        return sorted[k - 1];
    }

    /// <summary>k = ceil((n + 1)(1 - alpha)), at most n + 1 (n + 1: not certifiable). Guarded against rounding:
    /// (n + 1)(1 - alpha) within 1e-9 of an integer counts as that integer.</summary>
    public static int MarginalRank(int n, double alpha)
    {
        double x = (n + 1) * (1 - alpha);
        double r = Math.Round(x);
        return Math.Abs(x - r) < 1e-9 ? (int)r : (int)Math.Ceiling(x);
    }

    /// <summary>The smallest k in 1..n with P(Binomial(n, 1 - alpha) &gt;= k) &lt;= delta, or -1 when even k = n fails.</summary>
    public static int ConditionalRank(int n, double alpha, double delta)
    {
        // tail(k) = sum_{j >= k} C(n, j) q^j (1 - q)^(n - j), q = 1 - alpha; summed from j = n down in log space.
        double q = 1 - alpha, logQ = Math.Log(q), log1Q = Math.Log(alpha);
        var logFact = new double[n + 1];
        for (int i = 1; i <= n; i++) logFact[i] = logFact[i - 1] + Math.Log(i);
        double tail = 0;
        int best = -1;
        for (int k = n; k >= 1; k--)
        {
            tail += Math.Exp(logFact[n] - logFact[k] - logFact[n - k] + k * logQ + (n - k) * log1Q);
            if (tail > delta) break;
            best = k;
        }
        return best;
    }

    /// <summary>Throws unless 0 &lt; value &lt; 1, naming the option.</summary>
    public static void CheckLevel(string option, double value)
    {
        if (!(value > 0 && value < 1))
            throw new ArgumentException($"{option} {Fmt(value)} is not a probability strictly between 0 and 1; give e.g. {option} 0.05.");
    }

    private static string Fmt(double v) => v.ToString("G4", System.Globalization.CultureInfo.InvariantCulture);
}

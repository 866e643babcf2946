// ROC curve of a class model's scores, with the project's convention (peers/mnist_io.py): higher score =
// more fake, a sample is flagged fake iff score > t; positive class = fake. FPR = reals flagged / reals,
// TPR = fakes flagged / fakes. AUROC = P(score_fake > score_real) + 0.5 P(tie), which equals the area under
// the curve drawn through every distinct threshold (ties give diagonal segments).
// Reference: T. Fawcett, "An introduction to ROC analysis", Pattern Recognition Letters 27 (2006), Alg. 2.
// NaN scores are left out (the plot says how many); infinities order normally.
namespace Latent.Reporting.Plots;

/// <summary>ROC curve of a class model's scores, with the project's convention (peers/mnist_io.py): higher score = more fake, a sample is flagged fake iff score &gt; t; positive class = fake.</summary>
public sealed class RocCurve
{
    private RocCurve(double[] fpr, double[] tpr, double[] thresholds, double auroc)
    {
        Fpr = fpr;
        Tpr = tpr;
        Thresholds = thresholds;
        Auroc = auroc;
    }

    /// <summary>False positive rates, from 0 to 1, one per distinct threshold plus the (0, 0) start.</summary>
    public IReadOnlyList<double> Fpr { get; }

    /// <summary>True positive rates matching <see cref="Fpr"/>.</summary>
    public IReadOnlyList<double> Tpr { get; }

    /// <summary>Point i flags scores &gt;= Thresholds[i] (the first point, +inf, flags nothing).</summary>
    public IReadOnlyList<double> Thresholds { get; }

    public double Auroc { get; }

    /// <summary>The curve for real (negative) and fake (positive) scores; both need at least one non-NaN value.</summary>
    public static RocCurve Compute(ReadOnlySpan<double> real, ReadOnlySpan<double> fake)
    {
        var all = new List<(double Score, bool Fake)>(real.Length + fake.Length);
        foreach (double v in real) if (!double.IsNaN(v)) all.Add((v, false));
        int nr = all.Count;
        foreach (double v in fake) if (!double.IsNaN(v)) all.Add((v, true));
        int nf = all.Count - nr;
        if (nr == 0 || nf == 0)
            throw new ArgumentException($"A ROC curve needs real and fake scores; got {nr} real and {nf} fake non-NaN values.");
        all.Sort((a, b) => b.Score.CompareTo(a.Score)); // descending
        var fpr = new List<double> { 0 };
        var tpr = new List<double> { 0 };
        var thr = new List<double> { double.PositiveInfinity };
        long tp = 0, fp = 0;
        double area = 0;
        for (int i = 0; i < all.Count;)
        {
            double s = all[i].Score;
            long tp0 = tp, fp0 = fp;
            for (; i < all.Count && all[i].Score == s; i++)
                if (all[i].Fake) tp++; else fp++;
            area += (fp - fp0) * (tp + tp0) / 2.0; // trapezoid, in units of 1 real x 1 fake
            fpr.Add((double)fp / nr);
            tpr.Add((double)tp / nf);
            thr.Add(s);
        }
        return new RocCurve([.. fpr], [.. tpr], [.. thr], area / ((double)nr * nf));
    }

    /// <summary>(FPR, TPR) of the rule "fake iff score &gt; <paramref name="threshold"/>".</summary>
    public static (double Fpr, double Tpr) At(ReadOnlySpan<double> real, ReadOnlySpan<double> fake, double threshold)
    {
        int nr = 0, fr = 0, nf = 0, ff = 0;
        foreach (double v in real) if (!double.IsNaN(v)) { nr++; if (v > threshold) fr++; }
        foreach (double v in fake) if (!double.IsNaN(v)) { nf++; if (v > threshold) ff++; }
        return (nr == 0 ? 0 : (double)fr / nr, nf == 0 ? 0 : (double)ff / nf);
    }
}

// Small descriptive statistics for plots: linear-interpolated quantiles (numpy's default, "linear"),
// mean and standard deviation.
namespace Latent.Reporting.Plots;

internal static class Stats
{
    /// <summary>Quantile q in [0, 1] of ascending-sorted values, linear interpolation (numpy.quantile default).</summary>
    public static double Quantile(IReadOnlyList<double> sorted, double q)
    {
        if (sorted.Count == 0) throw new ArgumentException("Quantile of an empty set.");
        double pos = q * (sorted.Count - 1);
        int i = (int)Math.Floor(pos);
        if (i >= sorted.Count - 1) return sorted[^1];
        return sorted[i] + (pos - i) * (sorted[i + 1] - sorted[i]);
    }

    public static (double Mean, double Std) MeanStd(IReadOnlyList<double> v)
    {
        if (v.Count == 0) return (double.NaN, double.NaN);
        double m = v.Average(), ss = 0;
        foreach (double x in v) ss += (x - m) * (x - m);
        return (m, v.Count > 1 ? Math.Sqrt(ss / (v.Count - 1)) : 0);
    }

    /// <summary>
    /// A display range for the pooled values: [min, max], unless outliers stretch it by more than half the
    /// central 99% range; then [q0.5%, q99.5%] widened by 15% of that range on each side (within [min, max]),
    /// and the caller folds the few values beyond into the edge bins.
    /// </summary>
    public static (double Lo, double Hi, bool Clipped) Range(List<double> sorted)
    {
        double min = sorted[0], max = sorted[^1];
        double lo = Quantile(sorted, 0.005), hi = Quantile(sorted, 0.995), core = hi - lo;
        bool clip = core > 0 && (lo - min + (max - hi)) > 0.5 * core;
        return clip ? (Math.Max(min, lo - 0.15 * core), Math.Min(max, hi + 0.15 * core), true) : (min, max, false);
    }
}

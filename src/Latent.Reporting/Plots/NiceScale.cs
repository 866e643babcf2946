// "Nice" axis ticks: 1, 2, 2.5 or 5 times a power of ten, about `target` of them, covering [min, max];
// and tick labels with just enough decimals to tell neighbours apart.
// Reference: P. Heckbert, "Nice numbers for graph labels", Graphics Gems (1990), with 2.5 added.
using System.Globalization;

namespace Latent.Reporting.Plots;

/// <summary>"Nice" axis ticks: 1, 2, 2.5 or 5 times a power of ten, about `target` of them, covering [min, max]; and tick labels with just enough decimals to tell neighbours apart.</summary>
public static class NiceScale
{
    /// <summary>Ticks from a nice lower bound to a nice upper bound that contain [min, max] (min &lt;= max, finite).</summary>
    public static double[] Ticks(double min, double max, int target = 6)
    {
        if (!double.IsFinite(min) || !double.IsFinite(max) || min > max)
            throw new ArgumentException($"Tick range must be finite with min <= max, got [{min}, {max}].");
        if (min == max)
        {
            double pad = min == 0 ? 1 : Math.Abs(min) * 0.1;
            min -= pad;
            max += pad;
        }
        double step = Step((max - min) / Math.Max(1, target - 1));
        double lo = Math.Floor(min / step + 1e-9) * step, hi = Math.Ceiling(max / step - 1e-9) * step;
        int n = (int)Math.Round((hi - lo) / step) + 1;
        var ticks = new double[n];
        for (int i = 0; i < n; i++)
        {
            double t = lo + i * step;
            ticks[i] = Math.Abs(t) < step * 1e-9 ? 0 : t;
        }
        return ticks;
    }

    /// <summary>The nice step (1, 2, 2.5, 5 x 10^k) nearest above <paramref name="rough"/>.</summary>
    public static double Step(double rough)
    {
        double p = Math.Pow(10, Math.Floor(Math.Log10(rough))), f = rough / p;
        double nice = f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10;
        return nice * p;
    }

    /// <summary>A tick label: fixed decimals from the step for ordinary magnitudes, scientific otherwise.</summary>
    public static string Format(double v, double step)
    {
        if (v == 0 || Math.Abs(v) < Math.Abs(step) * 1e-6) return "0";
        double mag = Math.Max(Math.Abs(v), Math.Abs(step));
        if (mag >= 1e6 || mag < 1e-3)
            return v.ToString("0.###e0", CultureInfo.InvariantCulture);
        int decimals = 0;
        while (decimals < 6 && Math.Abs(step * Math.Pow(10, decimals) - Math.Round(step * Math.Pow(10, decimals))) > 1e-6 * step * Math.Pow(10, decimals))
            decimals++;
        string s = v.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        return s.StartsWith('-') && s.Trim('-', '0', '.').Length == 0 ? s[1..] : s;
    }

    /// <summary>A data value for legends and notes: 4 significant digits, invariant.</summary>
    public static string Value(double v) =>
        double.IsNaN(v) ? "NaN" : double.IsPositiveInfinity(v) ? "+inf" : double.IsNegativeInfinity(v) ? "-inf"
        : Math.Abs(v) >= 1e6 || (v != 0 && Math.Abs(v) < 1e-3) ? v.ToString("0.###e0", CultureInfo.InvariantCulture)
        : v.ToString("G4", CultureInfo.InvariantCulture);
}

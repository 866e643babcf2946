// Separates finite values from NaN and infinities, and words a note about what was left out of a plot.
using System.Globalization;

namespace Latent.Reporting.Plots;

/// <summary>Separates finite values from NaN and infinities, and words a note about what was left out of a plot.</summary>
public static class NonFinite
{
    /// <summary>The finite values of <paramref name="values"/>, and a note such as "fake: 2 NaN, 1 +inf not shown" (null if none).</summary>
    public static (double[] Finite, string? Note) Split(ReadOnlySpan<double> values, string what)
    {
        var finite = new List<double>(values.Length);
        int nan = 0, pos = 0, neg = 0;
        foreach (double v in values)
        {
            if (double.IsFinite(v)) finite.Add(v);
            else if (double.IsNaN(v)) nan++;
            else if (v > 0) pos++;
            else neg++;
        }
        return (finite.ToArray(), Describe(what, nan, pos, neg));
    }

    public static (double[] Finite, string? Note) Split(ReadOnlySpan<float> values, string what)
    {
        var d = new double[values.Length];
        for (int i = 0; i < d.Length; i++) d[i] = values[i];
        return Split(d, what);
    }

    internal static string? Describe(string what, int nan, int pos, int neg)
    {
        if (nan + pos + neg == 0) return null;
        var parts = new List<string>();
        if (nan > 0) parts.Add(string.Create(CultureInfo.InvariantCulture, $"{nan} NaN"));
        if (pos > 0) parts.Add(string.Create(CultureInfo.InvariantCulture, $"{pos} +inf"));
        if (neg > 0) parts.Add(string.Create(CultureInfo.InvariantCulture, $"{neg} -inf"));
        return $"{what}: {string.Join(", ", parts)} not shown";
    }
}

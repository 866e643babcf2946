// The decoded manifold of a 2-D latent space (seed 003, fig. 9.8-9.9): an n x n lattice of codes (z1, z2), row r from
// the top (largest z2) down, column c from the left (smallest z1). For a model with a N(0, I) prior (VAE, AAE, WAE)
// the lattice sits at the normal quantiles Phi^-1((k + 0.5) / n) (Kingma & Welling 2014, fig. 4), so equal steps
// hold equal prior mass; for an AE (no prior) it spans the range of the test codes.
namespace Latent.Models.Exploration;

/// <summary>The decoded manifold of a 2-D latent space (seed 003, fig. 9.8-9.9): an n x n lattice of codes (z1, z2), row r from the top (largest z2) down, column c from the left (smallest z1).</summary>
public static class Lattice
{
    /// <summary>Most points a side.</summary>
    public const int MaxSide = 64;

    /// <summary>(n n, 2) codes: z1 = xs[c], z2 = ys[n - 1 - r] for row r, column c.</summary>
    public static float[] Codes(IReadOnlyList<double> xs, IReadOnlyList<double> ys)
    {
        ArgumentNullException.ThrowIfNull(xs);
        ArgumentNullException.ThrowIfNull(ys);
        int w = xs.Count, h = ys.Count;
        var z = new float[w * h * 2];
        for (int r = 0; r < h; r++)
            for (int c = 0; c < w; c++)
            {
                z[(r * w + c) * 2] = (float)xs[c];
                z[(r * w + c) * 2 + 1] = (float)ys[h - 1 - r];
            }
        return z;
    }

    /// <summary>n normal quantiles Phi^-1((k + 0.5) / n), k = 0 .. n - 1.</summary>
    public static double[] NormalQuantiles(int n)
    {
        CheckSide(n);
        return Enumerable.Range(0, n).Select(k => InverseNormal((k + 0.5) / n)).ToArray();
    }

    /// <summary>n evenly spaced values from lo to hi.</summary>
    public static double[] Linear(double lo, double hi, int n)
    {
        CheckSide(n);
        if (!double.IsFinite(lo) || !double.IsFinite(hi) || !(hi > lo)) throw new ArgumentException($"lattice range {lo} to {hi} is empty or not finite.");
        return Enumerable.Range(0, n).Select(k => n == 1 ? (lo + hi) / 2 : lo + (hi - lo) * k / (n - 1)).ToArray();
    }

    /// <summary>Phi^-1(p), the standard normal quantile (Acklam's rational approximation, relative error below 1.2e-9,
    /// refined by one Halley step on erfc).</summary>
    public static double InverseNormal(double p)
    {
        if (!(p > 0 && p < 1)) throw new ArgumentOutOfRangeException(nameof(p), $"a probability strictly between 0 and 1 is needed, got {p}.");
        double[] a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00];
        double[] b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01];
        double[] c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00];
        double[] d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00];
        const double Low = 0.02425;
        double x;
        if (p < Low)
        {
            double q = Math.Sqrt(-2 * Math.Log(p));
            x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        }
        else if (p <= 1 - Low)
        {
            double q = p - 0.5, r = q * q;
            x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
        }
        else
        {
            double q = Math.Sqrt(-2 * Math.Log(1 - p));
            x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        }
        return x;
    }

    private static void CheckSide(int n)
    {
        if (n < 1 || n > MaxSide) throw new ArgumentException($"a lattice side of {n} points; give 1 to {MaxSide} (e.g. 15).");
    }
}

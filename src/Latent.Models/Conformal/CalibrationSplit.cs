// Holds out the calibration part of a class's normal training images for split conformal decisions: a seeded
// Fisher-Yates shuffle (System.Random with a seed, stable across .NET versions) picks round(fraction N) images
// for calibration; the model is fitted on the rest. The same fraction and seed give the same split.
namespace Latent.Models.Conformal;

/// <summary>Holds out the calibration part of a class's normal training images for split conformal decisions.</summary>
public static class CalibrationSplit
{
    /// <summary>The fraction recommended (and used by classmodel when a conformal level is asked without
    /// --calibration): 0.2 of an MNIST class (5421 to 6742 images) is n = 1084 to 1348 calibration images, which
    /// certify alpha down to 1/(n+1) &lt; 0.001 and keep the conditional threshold's slack at alpha = 0.01,
    /// delta = 0.1 below about 0.004, while the model keeps 80 % of its images.</summary>
    public const double DefaultFraction = 0.2;

    /// <summary>The seed of the shuffle when none is given.</summary>
    public const int DefaultSeed = 20230101;

    /// <summary>(fit part, calibration part) of <paramref name="x"/>.</summary>
    public static (Samples Fit, Samples Calibration) Split(Samples x, double fraction, int seed = DefaultSeed)
    {
        if (!(fraction > 0 && fraction < 1))
            throw new ArgumentException($"--calibration {fraction.ToString(System.Globalization.CultureInfo.InvariantCulture)} is not a fraction strictly between 0 and 1; give e.g. --calibration {DefaultFraction.ToString(System.Globalization.CultureInfo.InvariantCulture)}.");
        int n = (int)Math.Round(fraction * x.Count);
        if (n < 1 || x.Count - n < 2)
            throw new ArgumentException($"--calibration {fraction.ToString(System.Globalization.CultureInfo.InvariantCulture)} of {x.Count} training images leaves {n} for calibration and {x.Count - n} for fitting; " +
                "each part needs images (calibration at least 1, fitting at least 2): use more images or another fraction.");
        var order = Enumerable.Range(0, x.Count).ToArray();
        var rng = new Random(seed);
        for (int i = order.Length - 1; i > 0; i--)
        {
            int j = rng.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        var cal = order[..n];
        var fit = order[n..];
        Array.Sort(cal);
        Array.Sort(fit);
        return (x.Select(fit), x.Select(cal));
    }
}

// What a class-modelling evaluation is asked about conformal thresholds (ClassModelProtocol): hold out Fraction of
// each real class's training images (CalibrationSplit, seeded by Seed), fit on the rest, and report the false-alarm
// and detection rates at the marginal threshold for Alpha and, with Delta, at the calibration-conditional one.
namespace Latent.Models.Conformal;

/// <summary>What a class-modelling evaluation is asked about conformal thresholds (ClassModelProtocol).</summary>
public sealed record ConformalRequest(double Alpha, double? Delta = null, double Fraction = CalibrationSplit.DefaultFraction, int Seed = CalibrationSplit.DefaultSeed)
{
    /// <summary>Throws unless alpha and delta lie in (0, 1) and the fraction in (0, 1).</summary>
    public void Validate()
    {
        ConformalScores.CheckLevel("--alpha", Alpha);
        if (Delta is double d) ConformalScores.CheckLevel("--delta", d);
        if (!(Fraction > 0 && Fraction < 1))
            throw new ArgumentException($"--calibration {Fraction.ToString(System.Globalization.CultureInfo.InvariantCulture)} is not a fraction strictly between 0 and 1; give e.g. --calibration 0.2.");
    }

    /// <summary>Throws unless n calibration images certify the asked levels (the message names 1/(n+1)).</summary>
    public void CheckCertifiable(int n)
    {
        // a calibration of n equal scores has the same ranks as any other: the rank checks need n only
        var probe = new ConformalScores(new double[n]);
        probe.Threshold(Alpha);
        if (Delta is double d) probe.ConditionalThreshold(Alpha, d);
    }
}

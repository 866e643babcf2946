// The false-alarm and detection rates of one (model, score) at its conformal thresholds, measured on the test set:
// false-alarm rate = real (normal) test images flagged novel / real test images, detection rate = fake (novel)
// test images flagged / fake test images, with "novel iff score > threshold" (ConformalScores). Unlike the
// balanced error's threshold, which is tuned on the test fakes (an oracle), these thresholds come from the
// calibration images alone.
namespace Latent.Models.Conformal;

/// <summary>The false-alarm and detection rates of one (model, score) at its conformal thresholds, measured on the test set.</summary>
public sealed record ConformalResult(
    double Alpha, int CalibrationCount, double Threshold, double FalseAlarmRate, double DetectionRate,
    double? Delta = null, double ConditionalThreshold = double.NaN, double ConditionalFalseAlarmRate = double.NaN,
    double ConditionalDetectionRate = double.NaN)
{
    /// <summary>Thresholds from <paramref name="calibration"/>, rates on the real and fake test scores.</summary>
    public static ConformalResult Measure(ConformalScores calibration, ConformalRequest request, IReadOnlyList<double> real, IReadOnlyList<double> fake)
    {
        ArgumentNullException.ThrowIfNull(calibration);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(real);
        ArgumentNullException.ThrowIfNull(fake);
        double t = calibration.Threshold(request.Alpha);
        var r = new ConformalResult(request.Alpha, calibration.Count, t, Flagged(real, t), Flagged(fake, t));
        if (request.Delta is not double d) return r;
        double tc = calibration.ConditionalThreshold(request.Alpha, d);
        return r with { Delta = d, ConditionalThreshold = tc, ConditionalFalseAlarmRate = Flagged(real, tc), ConditionalDetectionRate = Flagged(fake, tc) };
    }

    /// <summary>The share of <paramref name="scores"/> above <paramref name="threshold"/>.</summary>
    public static double Flagged(IReadOnlyList<double> scores, double threshold)
    {
        ArgumentNullException.ThrowIfNull(scores);
        return scores.Count == 0 ? double.NaN : (double)scores.Count(s => s > threshold) / scores.Count;
    }
}

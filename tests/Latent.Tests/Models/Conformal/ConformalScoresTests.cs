// The conformal p-value and thresholds on hand examples, and every bad level or too small calibration with the
// message it must give (ConformalScores, CalibrationSplit, ConformalCalibration).
using Latent.Models;
using Latent.Models.Conformal;

namespace Latent.Tests.Models.Conformal;

public class ConformalScoresTests
{
    [Theory]
    [InlineData(0.0, 1.0)]     // (1 + 4) / 5
    [InlineData(2.0, 0.8)]     // scores >= 2: {2, 3, 4} -> (1 + 3) / 5
    [InlineData(2.5, 0.6)]     // {3, 4}
    [InlineData(4.0, 0.4)]     // {4}
    [InlineData(5.0, 0.2)]     // none: 1 / (n + 1)
    public void PValueIsOnePlusCountAtOrAboveOverNPlusOne(double s, double p)
    {
        var cal = new ConformalScores([4, 1, 3, 2]);
        Assert.Equal(p, cal.PValue(s), 12);
    }

    [Fact]
    public void ThresholdIsTheCeilRankAndAgreesWithThePValue()
    {
        // n = 19, alpha = 0.1: k = ceil(20 * 0.9) = 18 -> the 18th smallest of 1..19 = 18
        var cal = new ConformalScores(Enumerable.Range(1, 19).Select(i => (double)i));
        Assert.Equal(18, cal.Threshold(0.1));
        foreach (double s in new[] { 17.5, 18, 18.5, 19, 20 })
            Assert.Equal(s > cal.Threshold(0.1), cal.PValue(s) <= 0.1);
    }

    [Fact]
    public void ConditionalThresholdIsTheExactBinomialRank()
    {
        // n = 10, alpha = 0.2, delta = 0.5: P(Bin(10, 0.8) >= k) = 0.678 (k = 8), 0.376 (k = 9), 0.107 (k = 10)
        Assert.Equal(9, ConformalScores.ConditionalRank(10, 0.2, 0.5));
        Assert.Equal(10, ConformalScores.ConditionalRank(10, 0.2, 0.2));
        Assert.Equal(-1, ConformalScores.ConditionalRank(10, 0.2, 0.1));
        var cal = new ConformalScores(Enumerable.Range(1, 10).Select(i => (double)i));
        Assert.Equal(9, cal.ConditionalThreshold(0.2, 0.5));
        Assert.True(cal.ConditionalThreshold(0.2, 0.5) >= cal.Threshold(0.2));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(-0.1)]
    [InlineData(double.NaN)]
    public void LevelsOutsideZeroOneAreRefused(double bad)
    {
        var cal = new ConformalScores(Enumerable.Range(0, 200).Select(i => (double)i));
        Assert.Contains("--alpha", Assert.Throws<ArgumentException>(() => cal.Threshold(bad)).Message);
        Assert.Contains("--delta", Assert.Throws<ArgumentException>(() => cal.ConditionalThreshold(0.05, bad)).Message);
        Assert.Contains("--fdr", Assert.Throws<ArgumentException>(() => BenjaminiHochberg.Reject([0.5], bad)).Message);
        Assert.Contains("strictly between 0 and 1", Assert.Throws<ArgumentException>(() => new ConformalRequest(bad).Validate()).Message);
        Assert.Contains("--calibration", Assert.Throws<ArgumentException>(() => new ConformalRequest(0.05, Fraction: bad).Validate()).Message);
    }

    [Fact]
    public void TooFewCalibrationImagesForAlphaNameTheSmallestCertifiableAlpha()
    {
        var cal = new ConformalScores(Enumerable.Range(0, 49).Select(i => (double)i));   // n = 49: 1/(n+1) = 0.02
        var e = Assert.Throws<ArgumentException>(() => cal.Threshold(0.01));
        Assert.Contains("1/(n+1) = 0.02", e.Message);
        Assert.Contains("49 calibration images", e.Message);
        Assert.Equal(48, cal.Threshold(0.02));
        var c = Assert.Throws<ArgumentException>(() => cal.ConditionalThreshold(0.02, 0.1));
        Assert.Contains("1 - delta^(1/n)", c.Message);
        Assert.Contains("1/(n+1) = 0.02", Assert.Throws<ArgumentException>(() => new ConformalRequest(0.01).CheckCertifiable(49)).Message);
    }

    [Fact]
    public void SplitIsSeededDisjointAndRefusesBadFractions()
    {
        var x = new Samples(Enumerable.Range(0, 100).Select(i => (float)i).ToArray(), 100, 1);
        var (fit, cal) = CalibrationSplit.Split(x, 0.2, seed: 5);
        Assert.Equal(80, fit.Count);
        Assert.Equal(20, cal.Count);
        Assert.Equal(Enumerable.Range(0, 100).Select(i => (float)i), fit.X.Concat(cal.X).Order());
        Assert.Equal(cal.X, CalibrationSplit.Split(x, 0.2, seed: 5).Calibration.X);
        Assert.NotEqual(cal.X, CalibrationSplit.Split(x, 0.2, seed: 6).Calibration.X);
        Assert.NotEqual(Enumerable.Range(80, 20).Select(i => (float)i), cal.X);   // shuffled, not the tail
        Assert.Contains("strictly between 0 and 1", Assert.Throws<ArgumentException>(() => CalibrationSplit.Split(x, 1.0)).Message);
        Assert.Contains("each part needs images", Assert.Throws<ArgumentException>(() => CalibrationSplit.Split(x, 0.001)).Message);
    }

    [Fact]
    public void CalibrationRoundTripsThroughJsonWithInfinities()
    {
        var c = new ConformalCalibration(0.2, 7, new Dictionary<string, double[]> { ["recon"] = [0.1, 1.0 / 3, double.PositiveInfinity] });
        var back = ConformalCalibration.FromJson(c.ToJson(), "m.safetensors");
        Assert.Equal(c["recon"].Sorted, back["recon"].Sorted);
        Assert.Equal(7, back.Seed);
        Assert.Contains("retrain with --calibration", Assert.Throws<InvalidDataException>(() => ConformalCalibration.FromJson("{", "m.safetensors")).Message);
        Assert.Contains("no calibration scores", Assert.Throws<ArgumentException>(() => back["elbo"]).Message);
    }
}

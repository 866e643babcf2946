// BenjaminiHochberg.Threshold, the cut-off a stream decides by (p <= cut-off): on random p-values with ties, NaN and
// several q it flags exactly what BenjaminiHochberg.Reject flags over the whole batch.
using Latent.Models.Conformal;

namespace Latent.Tests.Models.Conformal;

public sealed class BenjaminiHochbergThresholdTests
{
    [Theory]
    [InlineData(0.05)]
    [InlineData(0.2)]
    [InlineData(0.5)]
    public void PValuesAtMostTheCutOffAreExactlyTheRejected(double q)
    {
        var rng = new Random(7);
        for (int trial = 0; trial < 200; trial++)
        {
            int m = rng.Next(1, 60);
            double[] p = [.. Enumerable.Range(0, m).Select(_ => rng.Next(5) == 0 ? double.NaN : (1 + rng.Next(20)) / 21.0 * (rng.Next(3) == 0 ? 0.05 : 1))];
            double cut = BenjaminiHochberg.Threshold(p, q);
            Assert.Equal(BenjaminiHochberg.Reject(p, q), p.Select(v => v <= cut));
        }
        Assert.Equal(-1, BenjaminiHochberg.Threshold([0.9, 0.8], q));
    }
}

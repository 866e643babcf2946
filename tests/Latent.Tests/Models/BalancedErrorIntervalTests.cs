// The bootstrap interval of the balanced error: a weighted sweep equals BinaryMetrics.Compute on the materialised
// multiset (ties and zero counts included), separable sets give [0, 0], the interval holds the estimate, shrinks
// as 1/sqrt(n), is reproducible for a seed, and bad arguments are named.
using Latent.Models.Evaluation;
using Latent.Tensors;

namespace Latent.Tests.Models;

public class BalancedErrorIntervalTests
{
    private static (double[] Real, double[] Fake) Overlapping(int nr, int nf, ulong seed)
    {
        var rng = new Rng(seed);
        // rounded to 0.1 so that ties occur, within and across the classes
        double[] real = [.. Enumerable.Range(0, nr).Select(_ => Math.Round(rng.NextNormal() * 10) / 10)];
        double[] fake = [.. Enumerable.Range(0, nf).Select(_ => Math.Round((1.5 + rng.NextNormal()) * 10) / 10)];
        return (real, fake);
    }

    [Fact]
    public void AWeightedSweepIsComputeOnTheResampledMultiset()
    {
        var rng = new Rng(3);
        for (int trial = 0; trial < 50; trial++)
        {
            var (real, fake) = Overlapping(5 + rng.NextInt(40), 5 + rng.NextInt(40), (ulong)trial);
            int[] rc = [.. real.Select(_ => rng.NextInt(3))], fc = [.. fake.Select(_ => rng.NextInt(3))];
            rc[0] = Math.Max(rc[0], 1);
            fc[0] = Math.Max(fc[0], 1);
            double[] r2 = [.. real.SelectMany((v, i) => Enumerable.Repeat(v, rc[i]))], f2 = [.. fake.SelectMany((v, i) => Enumerable.Repeat(v, fc[i]))];
            Assert.Equal(BinaryMetrics.Compute(r2, f2).BalancedError, BalancedErrorInterval.Weighted(real, fake, rc, fc), 12);
        }
    }

    [Fact]
    public void SeparableSetsHaveAZeroInterval()
    {
        var (low, high) = BalancedErrorInterval.Compute([1, 2, 3], [4, 5, 6, 7]);
        Assert.Equal(0, low);
        Assert.Equal(0, high);
    }

    [Fact]
    public void TheIntervalHoldsTheEstimateAndShrinksWithTheTestSet()
    {
        var (real, fake) = Overlapping(250, 250, 1);
        double estimate = BinaryMetrics.Compute(real, fake).BalancedError;
        var (low, high) = BalancedErrorInterval.Compute(real, fake);
        Assert.InRange(estimate, low, high);
        Assert.Equal((low, high), BalancedErrorInterval.Compute(real, fake));
        Assert.NotEqual((low, high), BalancedErrorInterval.Compute(real, fake, seed: 2));

        var (real4, fake4) = Overlapping(1000, 1000, 1);
        var (low4, high4) = BalancedErrorInterval.Compute(real4, fake4);
        double ratio = (high4 - low4) / (high - low);
        Assert.InRange(ratio, 0.35, 0.7);                          // 1 / sqrt(4) = 0.5
        var (low90, high90) = BalancedErrorInterval.Compute(real, fake, level: 0.9);
        Assert.True(high90 - low90 < high - low);
    }

    [Fact]
    public void BadArgumentsAreNamed()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => BalancedErrorInterval.Compute([1.0], [2.0], draws: 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => BalancedErrorInterval.Compute([1.0], [2.0], level: 1));
        Assert.Contains("NaN", Assert.Throws<ArgumentException>(() => BalancedErrorInterval.Compute([double.NaN], [2.0])).Message, StringComparison.Ordinal);
        Assert.Contains("need real and fake", Assert.Throws<ArgumentException>(() => BalancedErrorInterval.Compute([], [2.0])).Message, StringComparison.Ordinal);
        Assert.Contains("one count per score", Assert.Throws<ArgumentException>(() => BalancedErrorInterval.Weighted([1.0], [2.0], [1, 1], [1])).Message, StringComparison.Ordinal);
    }
}

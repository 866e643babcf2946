// Metrics against hand-computed cases, ties included (see the worked example in each test).
using Latent.Models.Evaluation;

namespace Latent.Tests.Models;

public class BinaryMetricsTests
{
    [Fact]
    public void HandComputedCaseWithTies()
    {
        // sorted: 1r 2r 2f 3r 4f; valid cuts after 0, 1, 3 (not between the tied 2s), 4, 5 items.
        // cut 4 (accept 1,2,2,3): misses 0 real, 1 fake -> balanced 0.25, pooled 0.2, threshold (3 + 4) / 2.
        // AUROC: fake 2 beats 1, ties 2 (0.5), loses to 3 -> 1.5; fake 4 beats all -> 3; 4.5 / 6.
        var m = BinaryMetrics.Compute([1, 2, 3], [2, 4]);
        Assert.Equal(0.25, m.BalancedError, 12);
        Assert.Equal(0.2, m.PooledError, 12);
        Assert.Equal(0.75, m.Auroc, 12);
        Assert.Equal(3.5, m.Threshold, 12);
    }

    [Fact]
    public void PooledAndBalancedOptimaCanDiffer()
    {
        // 4 reals, 1 fake. Accepting everything: pooled 1/5 = 0.2 but balanced 0.5.
        // Cut between 3 and 5 (accept 1,2,3): misses real 4 -> balanced 0.5 * 1/4 = 0.125, pooled 0.2.
        var m = BinaryMetrics.Compute([1, 2, 3, 6], [5]);
        Assert.Equal(0.125, m.BalancedError, 12);
        Assert.Equal(0.2, m.PooledError, 12);
        Assert.Equal(4.0, m.Threshold, 12);
        Assert.Equal(0.75, m.Auroc, 12);
    }

    [Fact]
    public void PerfectSeparation()
    {
        var m = BinaryMetrics.Compute([0, 1], [2, 3]);
        Assert.Equal(0, m.BalancedError);
        Assert.Equal(0, m.PooledError);
        Assert.Equal(1, m.Auroc);
        Assert.Equal(1.5, m.Threshold);
    }

    [Fact]
    public void AllTiedScoresAreChance()
    {
        var m = BinaryMetrics.Compute([1, 1], [1, 1, 1]);
        Assert.Equal(0.5, m.BalancedError);
        Assert.Equal(0.5, m.Auroc);
    }

    [Fact]
    public void ReversedScoresGiveAurocZero()
    {
        var m = BinaryMetrics.Compute([5, 6], [1, 2]);
        Assert.Equal(0, m.Auroc);
        Assert.Equal(0.5, m.BalancedError); // the best cut accepts or rejects everything
    }

    [Fact]
    public void InfiniteScoresAreOrdinaryExtremes()
    {
        var m = BinaryMetrics.Compute([0, 1], [double.PositiveInfinity]);
        Assert.Equal(0, m.BalancedError);
        Assert.Equal(1, m.Threshold);
    }

    [Fact]
    public void NaNScoresAreAnError()
    {
        var e = Assert.Throws<ArgumentException>(() => BinaryMetrics.Compute([0, double.NaN], [1]));
        Assert.Contains("1 of the 2 real scores are NaN", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RocCurveRunsFromZeroToOneAndItsAreaIsTheAuroc()
    {
        double[] real = [1, 2, 3, 3], fake = [2, 3, 5];
        var (fpr, tpr) = BinaryMetrics.RocCurve(real, fake);
        Assert.Equal((0.0, 0.0), (fpr[0], tpr[0]));
        Assert.Equal((1.0, 1.0), (fpr[^1], tpr[^1]));
        double area = 0;
        for (int i = 1; i < fpr.Length; i++) area += (fpr[i] - fpr[i - 1]) * 0.5 * (tpr[i] + tpr[i - 1]);
        Assert.Equal(BinaryMetrics.Compute(real, fake).Auroc, area, 12);
    }
}

// The bootstrap interval of a one-vs-rest mean AUROC: a weighted Mann-Whitney sweep equals BinaryMetrics.Compute's
// AUROC on the materialised multiset, separable tasks give [1, 1], the interval holds the estimate and is reproducible,
// tasks that share their images are resampled together (two perfectly correlated tasks give the interval of one), and
// inconsistent tasks are named.
using Latent.Models.Evaluation;
using Latent.Tensors;

namespace Latent.Tests.Models;

public class MeanAurocIntervalTests
{
    private static double[] Normal(int n, double shift, Rng rng) => [.. Enumerable.Range(0, n).Select(_ => Math.Round((shift + rng.NextNormal()) * 10) / 10)];

    [Fact]
    public void AWeightedSweepIsTheAurocOfTheResampledMultiset()
    {
        var rng = new Rng(5);
        for (int trial = 0; trial < 50; trial++)
        {
            double[] real = Normal(3 + rng.NextInt(30), 0, rng), fake = Normal(3 + rng.NextInt(30), 1, rng);   // rounded: ties
            int[] rc = [.. real.Select(_ => rng.NextInt(3))], fc = [.. fake.Select(_ => rng.NextInt(3))];
            rc[0] = Math.Max(rc[0], 1);
            fc[0] = Math.Max(fc[0], 1);
            double[] r2 = [.. real.SelectMany((v, i) => Enumerable.Repeat(v, rc[i]))], f2 = [.. fake.SelectMany((v, i) => Enumerable.Repeat(v, fc[i]))];
            Assert.Equal(BinaryMetrics.Compute(r2, f2).Auroc, MeanAurocInterval.WeightedAuroc(real, fake, rc, fc), 12);
        }
    }

    // three classes of n images each; task c: class c (scores around 0) against the other two (around `shift`)
    private static List<OneVsRestScores> ThreeTasks(int n, double shift, ulong seed)
    {
        var rng = new Rng(seed);
        var tasks = new List<OneVsRestScores>();
        for (int c = 0; c < 3; c++)
        {
            int[] others = [.. Enumerable.Range(0, 3).Where(o => o != c)];
            tasks.Add(new OneVsRestScores(c, Normal(n, 0, rng), [.. Normal(n, shift, rng), .. Normal(n, shift, rng)], [.. Enumerable.Repeat(others[0], n), .. Enumerable.Repeat(others[1], n)]));
        }
        return tasks;
    }

    [Fact]
    public void TheIntervalHoldsTheMeanIsReproducibleAndSeparableTasksGiveOne()
    {
        var tasks = ThreeTasks(60, 1.0, 7);
        double mean = tasks.Average(t => BinaryMetrics.Compute(t.Real, t.Fake).Auroc);
        var (low, high) = MeanAurocInterval.Compute(tasks, draws: 400);
        Assert.True(low < mean && mean < high, $"{low}-{high} around {mean}");
        Assert.Equal((low, high), MeanAurocInterval.Compute(tasks, draws: 400));
        Assert.NotEqual((low, high), MeanAurocInterval.Compute(tasks, draws: 400, seed: 2));
        Assert.Equal((1.0, 1.0), MeanAurocInterval.Compute(ThreeTasks(20, 100, 3), draws: 50));
        var wide = MeanAurocInterval.Compute(ThreeTasks(15, 1.0, 7), draws: 400);
        Assert.True(wide.High - wide.Low > high - low, "fewer images must widen the interval");
    }

    [Fact]
    public void TasksThatShareImagesAreResampledTogether()
    {
        // task B is task A mirrored (the same images, scores negated, real and fake swapped): its AUROC equals A's in
        // every draw, so the mean of the two has A's interval, not the narrower one of two independent tasks
        var rng = new Rng(11);
        double[] s0 = Normal(80, 0, rng), s1 = Normal(80, 0.8, rng);
        var a = new OneVsRestScores(0, s0, s1, [.. Enumerable.Repeat(1, 80)]);
        var b = new OneVsRestScores(1, [.. s1.Select(v => -v)], [.. s0.Select(v => -v)], [.. Enumerable.Repeat(0, 80)]);
        Assert.Equal(MeanAurocInterval.Compute([a], draws: 300), MeanAurocInterval.Compute([a, b], draws: 300));
    }

    [Fact]
    public void InconsistentTasksAreNamed()
    {
        var ok = new OneVsRestScores(0, [0.1, 0.2], [0.5, 0.6], [1, 1]);
        Assert.Contains("class 1 has 2 test images in one task and 3 in another",
            Assert.Throws<ArgumentException>(() => MeanAurocInterval.Compute([ok, new OneVsRestScores(1, [0.1, 0.2, 0.3], [0.5, 0.6], [0, 0])])).Message, StringComparison.Ordinal);
        Assert.Contains("its own class is among the fakes",
            Assert.Throws<ArgumentException>(() => MeanAurocInterval.Compute([new OneVsRestScores(0, [0.1], [0.5], [0])])).Message, StringComparison.Ordinal);
        Assert.Contains("1 fake scores but 2 fake classes",
            Assert.Throws<ArgumentException>(() => MeanAurocInterval.Compute([new OneVsRestScores(0, [0.1], [0.5], [1, 1])])).Message, StringComparison.Ordinal);
        Assert.Contains("NaN", Assert.Throws<ArgumentException>(() => MeanAurocInterval.Compute([new OneVsRestScores(0, [double.NaN], [0.5], [1])])).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => MeanAurocInterval.Compute([ok], draws: 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => MeanAurocInterval.Compute([ok], level: 1));
        Assert.Throws<ArgumentException>(() => MeanAurocInterval.Compute([]));
    }
}

// The k-NN's invariant distances: the tangent distance vanishes on its own linearisation, the exact EMD equals a
// brute-force transport of unit atoms (every assignment tried), the sliced Wasserstein distance is at most the EMD
// and exact for a translation, and every metric puts a training image at distance 0 from itself. The oriented EMD
// (mass over position and orientation bin) equals a brute-force transport that also pays for turning.
using Latent.Models;
using Latent.Models.Classical;
using Latent.Tests.Models.Invariance;

namespace Latent.Tests.Models.Classical;

public class InvariantDistanceTests
{
    private static readonly ImageShape Mnist = ImageShape.Gray(28, 28);

    private static double Euclid(float[] a, float[] b) => Math.Sqrt(a.Zip(b, (u, v) => (double)(u - v) * (u - v)).Sum());

    private static float[] TangentsOf(float[] img)
    {
        var t = new float[TangentDistance.Count * img.Length];
        TangentDistance.Tangents(img, Mnist, t, new float[3 * img.Length]);
        return t;
    }

    [Theory]
    [InlineData(0, 0.5)]    // shift along columns
    [InlineData(1, -0.4)]   // shift along rows
    [InlineData(2, 0.05)]   // rotation
    [InlineData(6, 0.8)]    // thickness
    public void TangentDistanceIsZeroWithinItsLinearisation(int tangent, double amount)
    {
        var t = PreprocessingTests.Blob(13, 14, 4, 2.5);
        var tt = TangentsOf(t);
        var x = t.Select((v, p) => (float)(v + amount * tt[tangent * t.Length + p])).ToArray();
        double euclid = Euclid(x, t);
        Assert.True(euclid > 0.1, $"the move is too small to test: {euclid}");
        var tx = TangentsOf(x);
        var diff = new float[t.Length];
        double exact = TangentDistance.Distance(x, tx, t, tt, diff, spring: 0);
        Assert.True(exact < 1e-3 * euclid, $"tangent distance {exact} vs Euclidean {euclid}");
        double sprung = TangentDistance.Distance(x, tx, t, tt, diff);
        // with the spring, the distance keeps the spring's energy: about sqrt(lambda / 2) of the move when x and t share it
        Assert.True(sprung < 1.5 * Math.Sqrt(TangentDistance.DefaultSpring / 2) * euclid, $"with the default spring: {sprung} vs Euclidean {euclid}");
    }

    [Fact]
    public void TangentDistanceNearlyIgnoresASmallTrueShiftButNotAnotherShape()
    {
        var t = PreprocessingTests.Blob(13, 14, 4, 2.5);
        var shifted = PreprocessingTests.Blob(13.4, 14.3, 4, 2.5);
        var other = PreprocessingTests.Blob(7, 14, 2, 2).Zip(PreprocessingTests.Blob(20, 14, 2, 2), (u, v) => u + v).ToArray();   // two dots, one above the other
        var diff = new float[t.Length];
        double td = TangentDistance.Distance(shifted, TangentsOf(shifted), t, TangentsOf(t), diff);
        Assert.True(td < 0.15 * Euclid(shifted, t), $"shift: tangent {td}, Euclidean {Euclid(shifted, t)}");
        double tdo = TangentDistance.Distance(other, TangentsOf(other), t, TangentsOf(t), diff);
        Assert.True(tdo > 0.2 * Euclid(other, t), $"other shape: tangent {tdo}, Euclidean {Euclid(other, t)}");
    }

    // Brute force: both images are K unit atoms on the grid; the optimal transport of equal atoms is an assignment
    // (Birkhoff), so the EMD is the cheapest of the K! pairings, divided by K.
    // With bins > 1 an atom is an index into (H, W, bins) and turning it by one bin (on the circle) costs turn.
    private static double BruteForce(int[] atomsA, int[] atomsB, int w, bool squared = false, double cap = double.PositiveInfinity, int bins = 1, double turn = 0)
    {
        int k = atomsA.Length;
        double best = double.PositiveInfinity;
        foreach (var perm in Permutations(Enumerable.Range(0, k).ToArray(), 0))
        {
            double s = 0;
            for (int i = 0; i < k; i++)
            {
                int p = atomsA[i] / bins, q = atomsB[perm[i]] / bins, db = Math.Abs(atomsA[i] % bins - atomsB[perm[i]] % bins);
                double d = Math.Min(Math.Sqrt(Math.Pow(p / w - q / w, 2) + Math.Pow(p % w - q % w, 2)) + turn * Math.Min(db, bins - db), cap);
                s += squared ? d * d : d;
            }
            best = Math.Min(best, s);
        }
        return best / k;
    }

    private static IEnumerable<int[]> Permutations(int[] a, int from)
    {
        if (from == a.Length) { yield return (int[])a.Clone(); yield break; }
        for (int i = from; i < a.Length; i++)
        {
            (a[from], a[i]) = (a[i], a[from]);
            foreach (var p in Permutations(a, from + 1)) yield return p;
            (a[from], a[i]) = (a[i], a[from]);
        }
    }

    private static float[] Histogram(int[] atoms, int size)
    {
        var m = new float[size];
        foreach (int p in atoms) m[p] += 1f / atoms.Length;
        return m;
    }

    [Theory]
    [InlineData(1, 3, 3, 5)]
    [InlineData(2, 3, 3, 6)]
    [InlineData(3, 2, 4, 7)]
    [InlineData(4, 4, 4, 7)]
    [InlineData(5, 5, 3, 6)]
    public void EmdEqualsBruteForceTransportOnTinyImages(int seed, int h, int w, int atoms)
    {
        var rng = new Random(seed);
        for (int trial = 0; trial < 5; trial++)
        {
            var a = Enumerable.Range(0, atoms).Select(_ => rng.Next(h * w)).ToArray();   // atoms may share a pixel
            var b = Enumerable.Range(0, atoms).Select(_ => rng.Next(h * w)).ToArray();
            double exact = EarthMovers.Distance(Histogram(a, h * w), Histogram(b, h * w), h, w);
            Assert.Equal(BruteForce(a, b, w), exact, 1e-5);
        }
    }

    [Theory]
    [InlineData(21, 3, 3, 4, 5, 0.5, double.PositiveInfinity)]
    [InlineData(22, 3, 4, 4, 6, 1.0, 2.5)]
    [InlineData(23, 4, 4, 8, 6, 0.25, double.PositiveInfinity)]
    [InlineData(24, 2, 3, 3, 7, 2.0, 3.0)]
    public void OrientedEmdEqualsBruteForceTransportOverPositionAndTurn(int seed, int h, int w, int bins, int atoms, double turn, double cap)
    {
        var rng = new Random(seed);
        int size = h * w * bins;
        bool turned = false;
        for (int trial = 0; trial < 5; trial++)
        {
            var a = Enumerable.Range(0, atoms).Select(_ => rng.Next(size)).ToArray();
            var b = Enumerable.Range(0, atoms).Select(_ => rng.Next(size)).ToArray();
            double exact = EarthMovers.Distance(Histogram(a, size), Histogram(b, size), h, w, GroundCost.Euclidean, threshold: cap, bins: bins, turn: turn);
            Assert.Equal(BruteForce(a, b, w, cap: cap, bins: bins, turn: turn), exact, 1e-5);
            turned |= exact > BruteForce(a, b, w, cap: cap, bins: bins, turn: 0) + 1e-6;
        }
        Assert.True(turned, "the turn cost never mattered: the test would not catch an ignored orientation");
    }

    [Theory]
    [InlineData(1, double.PositiveInfinity)]
    [InlineData(1, 2.0)]
    [InlineData(4, 2.0)]
    [InlineData(4, 1.0)]
    public void TheHubOfACappedEmdEqualsEveryPairAsAnEdge(int bins, double cap)
    {
        // MNIST digits at 14 x 14 (two orientation settings): the sparse network (pairs at the cap through one hub)
        // against the dense one (every pair its own edge at the capped cost), both solved by TransportFlow
        var set = TestData.SubsetTrain;
        var sw = new SlicedWasserstein(Mnist, 1);
        float[] Mass(int i)
        {
            var full = new float[784];
            sw.Mass(set.Pixels.AsSpan(i * 784, 784), full);
            var o = new float[196 * bins];
            OrientedMass.Compute(full, 28, 28, bins, 2, o);
            return o;
        }
        for (int pair = 0; pair < 6; pair++)
        {
            float[] a = Mass(pair), b = Mass(50 + pair);
            var (supply, demand, c, total) = EarthMovers.Problem(a, b, 14, 14, GroundCost.Euclidean, cap, cancel: true, bins, turn: 0.5);
            var dense = new TransportFlow(supply, demand, double.PositiveInfinity);
            for (int i = 0; i < supply.Length; i++)
                for (int j = 0; j < demand.Length; j++) dense.Add(i, j, c[i * demand.Length + j]);
            double expected = dense.Solve(1e-12 * total) / total;
            Assert.Equal(expected, EarthMovers.Distance(a, b, 14, 14, GroundCost.Euclidean, threshold: cap, bins: bins, turn: 0.5), 1e-9);
            Assert.True(expected > 0);
        }
    }

    [Theory]
    [InlineData(9, 4, 5, 6, 1.5)]
    [InlineData(10, 5, 5, 7, 2.0)]
    [InlineData(11, 3, 6, 6, 1.0)]
    public void CappedEmdEqualsBruteForceTransportWithCappedDistances(int seed, int h, int w, int atoms, double cap)
    {
        var rng = new Random(seed);
        bool differs = false;
        for (int trial = 0; trial < 5; trial++)
        {
            var a = Enumerable.Range(0, atoms).Select(_ => rng.Next(h * w)).ToArray();
            var b = Enumerable.Range(0, atoms).Select(_ => rng.Next(h * w)).ToArray();
            double capped = EarthMovers.Distance(Histogram(a, h * w), Histogram(b, h * w), h, w, GroundCost.Euclidean, threshold: cap);
            Assert.Equal(BruteForce(a, b, w, cap: cap), capped, 1e-5);
            differs |= capped < BruteForce(a, b, w) - 1e-6;
        }
        Assert.True(differs, "the cap never mattered: the test would not catch an ignored threshold");
        Assert.Throws<ArgumentOutOfRangeException>(() => EarthMovers.Distance(Histogram([0], h * w), Histogram([1], h * w), h, w, threshold: 0));
    }

    [Theory]
    [InlineData(6, 3, 3, 5)]
    [InlineData(7, 4, 4, 7)]
    [InlineData(8, 5, 3, 6)]
    public void SquaredCostEmdEqualsBruteForceTransportOnTinyImages(int seed, int h, int w, int atoms)
    {
        var rng = new Random(seed);
        for (int trial = 0; trial < 5; trial++)
        {
            var a = Enumerable.Range(0, atoms).Select(_ => rng.Next(h * w)).ToArray();
            var b = Enumerable.Range(0, atoms).Select(_ => rng.Next(h * w)).ToArray();
            double exact = EarthMovers.Distance(Histogram(a, h * w), Histogram(b, h * w), h, w, GroundCost.Squared);
            Assert.Equal(BruteForce(a, b, w, squared: true), exact, 1e-5);
        }
    }

    [Theory]
    [InlineData(GroundCost.Euclidean)]
    [InlineData(GroundCost.Squared)]
    public void SinkhornConvergesToTheExactEmdAsEpsilonFalls(GroundCost cost)
    {
        var rng = new Random(31);
        var sw = new SlicedWasserstein(ImageShape.Gray(5, 6), 1);
        var ma = new float[30];
        var mb = new float[30];
        for (int trial = 0; trial < 4; trial++)
        {
            sw.Mass(Enumerable.Range(0, 30).Select(_ => (float)Math.Max(0, rng.NextDouble() - 0.5)).ToArray(), ma);
            sw.Mass(Enumerable.Range(0, 30).Select(_ => (float)Math.Max(0, rng.NextDouble() - 0.5)).ToArray(), mb);
            double exact = EarthMovers.Distance(ma, mb, 5, 6, cost);
            double previous = double.PositiveInfinity;
            // epsilon in units of the ground cost: the squared cost's are larger (up to 41 here), so its schedule is 4x
            double unit = cost == GroundCost.Squared ? 4 : 1;
            foreach (double eps in new[] { 1.0, 0.3, 0.1, 0.03, 0.01 }.Select(e => e * unit))
            {
                double gap = Sinkhorn.Distance(ma, mb, 5, 6, cost, eps) - exact;
                Assert.True(gap > -1e-4, $"eps {eps}: the entropic plan's cost {gap} below the exact EMD");
                Assert.True(gap <= previous + 1e-4, $"eps {eps}: the gap {gap} grew from {previous}");
                previous = gap;
            }
            Assert.True(previous < 0.01 * exact + 1e-3, $"the smallest eps: {previous} above the exact {exact}");
        }
        // a point mass moved by (1, 3): every plan moves it whole, at any epsilon
        var one = new float[30];
        var two = new float[30];
        one[1] = 1;
        two[1 * 6 + 4] = 1;
        Assert.Equal(cost == GroundCost.Squared ? 10 : Math.Sqrt(10), Sinkhorn.Distance(one, two, 5, 6, cost, 0.01), 1e-9);
        Assert.Throws<ArgumentOutOfRangeException>(() => Sinkhorn.Distance(one, two, 5, 6, cost, 0));
    }

    [Fact]
    public void FinerEmdPoolsAndTheMeanOfKAreScoredAndKept()
    {
        var set = TestData.SubsetTrain;
        var all = new Samples(set.Pixels, set.Count, Mnist);
        var train = all.Slice(0, 30);
        var fine = new NearestNeighbour(train, 2, DistanceMetric.Emd, rerank: 4, new TransportSettings(Pool: 2, Cost: GroundCost.Squared), meanOfK: true);
        var kth = new NearestNeighbour(train, 2, DistanceMetric.Emd, rerank: 4, new TransportSettings(Pool: 2, Cost: GroundCost.Squared));
        var sample = all.Slice(100, 4);
        double[] mean = fine.Score(sample)["distance"], second = kth.Score(sample)["distance"];
        for (int i = 0; i < 4; i++) Assert.True(mean[i] <= second[i] + 1e-9 && mean[i] > 0, $"mean of the 2 nearest {mean[i]} vs the 2nd {second[i]}");
        Assert.Throws<ArgumentException>(() => new NearestNeighbour(train, 1, DistanceMetric.Emd, 4, new TransportSettings(Pool: 0)));
        Assert.Throws<ArgumentException>(() => new NearestNeighbour(train, 1, DistanceMetric.Sinkhorn, 4, new TransportSettings(Epsilon: -1)));
    }

    [Fact]
    public void SlicedWassersteinIsAtMostTheEmdAndExactForATranslation()
    {
        var rng = new Random(11);
        var shape = ImageShape.Gray(4, 5);
        var sw = new SlicedWasserstein(shape, 16);
        var ma = new float[20];
        var mb = new float[20];
        for (int trial = 0; trial < 20; trial++)
        {
            sw.Mass(Enumerable.Range(0, 20).Select(_ => (float)Math.Max(0, rng.NextDouble() - 0.4)).ToArray(), ma);
            sw.Mass(Enumerable.Range(0, 20).Select(_ => (float)Math.Max(0, rng.NextDouble() - 0.4)).ToArray(), mb);
            double s = sw.Distance(ma, mb), e = EarthMovers.Distance(ma, mb, 4, 5);
            Assert.True(s <= e + 1e-6, $"sliced {s} > exact {e}");
            Assert.True(s > 0.2 * e, $"sliced {s} is far below exact {e}");
        }
        // a point mass moved by v = (1, 3): each direction sees |<v, theta_l>|
        var one = new float[20];
        var two = new float[20];
        one[0 * 5 + 1] = 1;
        two[1 * 5 + 4] = 1;
        double expected = Enumerable.Range(0, 16).Average(l => Math.Abs(3 * Math.Cos(Math.PI * l / 16) + 1 * Math.Sin(Math.PI * l / 16)));
        Assert.Equal(expected, sw.Distance(one, two), 1e-5);
        Assert.Equal(Math.Sqrt(10), EarthMovers.Distance(one, two, 4, 5), 1e-9);
    }

    [Theory]
    [InlineData(DistanceMetric.Tangent)]
    [InlineData(DistanceMetric.SlicedWasserstein)]
    [InlineData(DistanceMetric.Emd)]
    [InlineData(DistanceMetric.Sinkhorn)]
    public void EveryInvariantMetricPutsATrainingImageAtZeroAndOthersAbove(DistanceMetric metric)
    {
        var set = TestData.SubsetTrain;
        var all = new Samples(set.Pixels, set.Count, Mnist);
        var train = all.Slice(0, 40);
        var knn = new NearestNeighbour(train, 1, metric, rerank: 10);
        var own = knn.Score(train.Slice(5, 3))["distance"];
        Assert.All(own, d => Assert.True(d < 1e-4, $"{metric}: a training image at distance {d} from itself"));
        var others = knn.Score(all.Slice(100, 20))["distance"];
        Assert.All(others, d => Assert.True(d > 0 && double.IsFinite(d)));
        var k3 = new NearestNeighbour(train, 3, metric, rerank: 2).Score(all.Slice(100, 5))["distance"];   // R below k: k candidates
        Assert.All(k3, d => Assert.True(double.IsFinite(d)));
    }

    [Theory]
    [InlineData(GroundCost.Euclidean)]
    [InlineData(GroundCost.Squared)]
    public void MarginalBoundIsBelowTheEmdAndTheEarlyExitStaysBetweenBoundAndEmd(GroundCost cost)
    {
        var rng = new Random(41);
        var sw = new SlicedWasserstein(ImageShape.Gray(6, 7), 1);
        var ma = new float[42];
        var mb = new float[42];
        var ca = new float[13];
        var cb = new float[13];
        for (int trial = 0; trial < 20; trial++)
        {
            sw.Mass(Enumerable.Range(0, 42).Select(_ => (float)Math.Max(0, rng.NextDouble() - 0.6)).ToArray(), ma);
            sw.Mass(Enumerable.Range(0, 42).Select(_ => (float)Math.Max(0, rng.NextDouble() - 0.6)).ToArray(), mb);
            double exact = EarthMovers.Distance(ma, mb, 6, 7, cost);
            EarthMovers.Marginals(ma, 6, 7, ca);
            EarthMovers.Marginals(mb, 6, 7, cb);
            double lower = EarthMovers.LowerBound(ca, cb, 6, 7, cost);
            // the Euclidean bound is within a factor of a few; the squared one (through Jensen) is looser
            Assert.True(lower <= exact + 1e-9 && lower > (cost == GroundCost.Squared ? 0.01 : 0.1) * exact, $"marginal bound {lower} against the EMD {exact}");
            // a bound above the EMD changes nothing; one below it may stop early, but never below the bound or above the EMD
            Assert.Equal(exact, EarthMovers.Distance(ma, mb, 6, 7, cost, exact * 1.01 + 1e-9), 1e-9);
            foreach (double f in new[] { 0.2, 0.5, 0.9 })
            {
                double early = EarthMovers.Distance(ma, mb, 6, 7, cost, f * exact);
                Assert.True(early >= f * exact - 1e-9 && early <= exact + 1e-9, $"bound {f * exact}: early exit {early}, EMD {exact}");
            }
        }
        // a point mass moved by (1, 3): the marginals see 1 and 3 pixels
        var one = new float[42];
        var two = new float[42];
        one[1] = 1;
        two[1 * 7 + 4] = 1;
        EarthMovers.Marginals(one, 6, 7, ca);
        EarthMovers.Marginals(two, 6, 7, cb);
        Assert.Equal(cost == GroundCost.Squared ? 10 : 3, EarthMovers.LowerBound(ca, cb, 6, 7, cost), 1e-3);
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(3, false)]
    [InlineData(3, true)]
    public void PrunedEmdNeighboursEqualTheBruteForceNeighbours(int k, bool mean)
    {
        var set = TestData.SubsetTrain;
        var all = new Samples(set.Pixels, set.Count, Mnist);
        var train = all.Slice(0, 25);
        var sample = all.Slice(100, 6);
        var t = new TransportSettings(Pool: 4);
        var knn = new NearestNeighbour(train, k, DistanceMetric.Emd, rerank: 25, t, meanOfK: mean);   // every training image re-ranked
        double[] got = knn.Score(sample)["distance"];
        var sw = new SlicedWasserstein(Mnist, 1);
        var full = new float[784];
        float[] Coarse(ReadOnlySpan<float> img)
        {
            sw.Mass(img, full);
            var c = new float[49];
            EarthMovers.Downsample(full, 28, 28, 4, c);
            return c;
        }
        for (int i = 0; i < 6; i++)
        {
            var q = Coarse(sample.Row(i));
            var d = Enumerable.Range(0, 25).Select(j => 4 * EarthMovers.Distance(q, Coarse(train.Row(j)), 7, 7)).Order().Take(k).ToArray();
            Assert.Equal(mean ? d.Average() : d[k - 1], got[i], 1e-6);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void PrunedOrientedEmdNeighboursEqualTheBruteForceNeighbours(int k)
    {
        var set = TestData.SubsetTrain;
        var all = new Samples(set.Pixels, set.Count, Mnist);
        var train = all.Slice(0, 20);
        var sample = all.Slice(100, 5);
        var knn = new NearestNeighbour(train, k, DistanceMetric.Emd, rerank: 20, new TransportSettings(Pool: 4, Orientations: 4, OrientationCost: 3));
        double[] got = knn.Score(sample)["distance"];
        var sw = new SlicedWasserstein(Mnist, 1);
        var full = new float[784];
        float[] Oriented(ReadOnlySpan<float> img)
        {
            sw.Mass(img, full);
            var c = new float[49 * 4];
            OrientedMass.Compute(full, 28, 28, 4, 4, c);
            return c;
        }
        // a 90-degree turn costs 3 pixels: 1.5 per 45-degree bin, in coarse pixels of 4
        var d = Enumerable.Range(0, 5).Select(i => Enumerable.Range(0, 20)
            .Select(j => 4 * EarthMovers.Distance(Oriented(sample.Row(i)), Oriented(train.Row(j)), 7, 7, bins: 4, turn: 1.5 / 4)).Order().ToArray()).ToArray();
        for (int i = 0; i < 5; i++) Assert.Equal(d[i][k - 1], got[i], 1e-6);
        var plain = new NearestNeighbour(train, k, DistanceMetric.Emd, rerank: 20, new TransportSettings(Pool: 4)).Score(sample)["distance"];
        for (int i = 0; i < 5; i++) Assert.True(got[i] >= plain[i] - 1e-6, $"the oriented EMD {got[i]} below the positional one {plain[i]}");
    }

    [Fact]
    public void DownsampleKeepsTheMass()
    {
        var m = new float[28 * 28];
        new SlicedWasserstein(Mnist, 1).Mass(PreprocessingTests.Blob(), m);
        int f = EarthMovers.Factor(28, 28);
        Assert.Equal(4, f);
        var coarse = new float[49];
        EarthMovers.Downsample(m, 28, 28, f, coarse);
        Assert.Equal(1.0, coarse.Sum(), 1e-5);
    }
}

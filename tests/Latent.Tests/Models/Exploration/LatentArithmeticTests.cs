// Centroids, vectors, interpolation and the lattice on a model whose encoder and decoder are known exactly: PCA with
// k = 2 of data lying on a 2-D affine plane in R^6. There U U^T projects onto the plane, so decode(E(x)) = x, the
// decoded centroid of a class is the class mean, and decode(E(x) + alpha (c_a - c_b)) = x + alpha (mu_a - mu_b).
using Latent.Models;
using Latent.Models.Classical;
using Latent.Models.Exploration;
using Latent.Models.Gans;
using Latent.Tensors;
using Latent.Tests.Models.Gans;

namespace Latent.Tests.Models.Exploration;

public class LatentArithmeticTests
{
    private const int D = 6;
    private static readonly double[] Origin = [0.3, 0.2, 0.5, 0.4, 0.1, 0.6];
    private static readonly double[] E1 = [0.05, -0.02, 0.03, 0.00, 0.04, 0.01];
    private static readonly double[] E2 = [0.00, 0.03, -0.01, 0.05, 0.02, -0.04];

    /// <summary>n points per class on the plane: class 0 around (s, t) = (2, 0), class 1 around (-2, 1).</summary>
    private static (float[] X, int[] Labels, double[][] ClassMeans) Plane(int n)
    {
        var rng = new Rng(11);
        var x = new float[2 * n * D];
        var labels = new int[2 * n];
        var means = new[] { new double[D], new double[D] };
        for (int i = 0; i < 2 * n; i++)
        {
            int c = i % 2;
            labels[i] = c;
            double s = (c == 0 ? 2 : -2) + rng.NextNormal(), t = (c == 0 ? 0 : 1) + rng.NextNormal();
            for (int j = 0; j < D; j++)
            {
                x[i * D + j] = (float)(Origin[j] + s * E1[j] + t * E2[j]);
                means[c][j] += (double)x[i * D + j] / n;
            }
        }
        return (x, labels, means);
    }

    private static LatentSpace PcaSpace(float[] x, int count)
    {
        var basis = PcaBasis.Fit(new Samples(x, count, D), 2);
        return LatentSpace.Of(new PcaGaussian(basis, 2));
    }

    [Fact]
    public void DecodedCentroidsAreTheClassMeansAndMovingAddsTheMeanDifference()
    {
        var (x, labels, mu) = Plane(50);
        var space = PcaSpace(x, labels.Length);
        var codes = space.Encode(x, labels.Length);
        var centroids = Centroids.Compute(codes, labels, 2, [0, 1]);
        Assert.Equal([50, 50], centroids.Counts);

        var decoded = space.Decode(centroids.Codes, 2);
        for (int c = 0; c < 2; c++)
            for (int j = 0; j < D; j++) Assert.Equal(mu[c][j], decoded[c * D + j], 1e-4);

        var v = centroids.Vector(1, 0);   // from class 1 to class 0
        double[] alphas = [-2, -0.5, 0, 1, 2];
        var moved = space.Decode(Interpolation.Along(codes.AsSpan(0, 2), v, alphas), alphas.Length);   // image 0 moved
        for (int k = 0; k < alphas.Length; k++)
            for (int j = 0; j < D; j++)
                Assert.Equal(x[j] + alphas[k] * (mu[0][j] - mu[1][j]), moved[k * D + j], 1e-4);

        var line = space.Decode(Interpolation.Between(centroids.Of(0), centroids.Of(1), [0, 0.25, 1]), 3);
        for (int j = 0; j < D; j++)
        {
            Assert.Equal(mu[0][j], line[j], 1e-4);
            Assert.Equal(0.75 * mu[0][j] + 0.25 * mu[1][j], line[D + j], 1e-4);
            Assert.Equal(mu[1][j], line[2 * D + j], 1e-4);
        }
    }

    [Fact]
    public void ThePairGridHasOneRowPerUnorderedPairFromCentroidToCentroid()
    {
        var pairs = Interpolation.Pairs(Enumerable.Range(0, 10).ToArray());
        Assert.Equal(45, pairs.Count);
        Assert.Equal((0, 1), pairs[0]);
        Assert.Equal((8, 9), pairs[^1]);
        Assert.All(pairs, p => Assert.True(p.From < p.To));

        float[] codes = [0, 0, 1, 2, 3, 4];      // centroids of classes 0, 1, 2 in 2-D
        var c = Centroids.Compute(codes, [0, 1, 2], 2, [0, 1, 2]);
        var grid = Interpolation.PairGrid(c, Interpolation.Pairs([0, 1, 2]), [0, 0.5, 1]);
        // rows 0-1, 0-2, 1-2; each 3 alphas of 2 values
        Assert.Equal<float>([0, 0, 0.5f, 1, 1, 2, 0, 0, 1.5f, 2, 3, 4, 1, 2, 2, 3, 3, 4], grid);
    }

    [Fact]
    public void TheLatticeDecodesWhatTheDecoderGivesForThoseCodes()
    {
        var (x, labels, _) = Plane(30);
        var space = PcaSpace(x, labels.Length);
        double[] xs = Lattice.NormalQuantiles(4), ys = Lattice.Linear(-1, 1, 3);
        var z = Lattice.Codes(xs, ys);                       // (12, 2), rows top (largest z2) to bottom
        Assert.Equal(24, z.Length);
        Assert.Equal((float)xs[0], z[0]);
        Assert.Equal(1f, z[1]);                              // top-left: smallest z1, largest z2
        Assert.Equal((float)xs[3], z[2 * 11]);
        Assert.Equal(-1f, z[2 * 11 + 1]);                    // bottom-right
        var all = space.Decode(z, 12);
        for (int i = 0; i < 12; i++)
        {
            var one = space.Decode(z.AsSpan(2 * i, 2), 1);
            Assert.Equal(one, all.AsSpan(i * D, D).ToArray());
        }
    }

    [Fact]
    public void NormalQuantilesMatchKnownValues()
    {
        Assert.Equal(0, Lattice.InverseNormal(0.5), 1e-9);
        Assert.Equal(1.959963984540054, Lattice.InverseNormal(0.975), 1e-7);
        Assert.Equal(-2.326347874040841, Lattice.InverseNormal(0.01), 1e-7);
        Assert.Equal(3.090232306167814, Lattice.InverseNormal(0.999), 1e-7);
        var q = Lattice.NormalQuantiles(5);
        Assert.Equal(-q[0], q[4], 1e-12);
        Assert.Equal(0, q[2], 1e-12);
    }

    [Fact]
    public void AMissingClassIsADataErrorNamingIt()
    {
        var e = Assert.Throws<InvalidDataException>(() => Centroids.Compute([0, 0, 1, 1], [0, 0], 2, [0, 3]));
        Assert.Contains("class 3 has no images", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1:0:5", "empty")]
    [InlineData("0:0:5", "empty")]
    [InlineData("0:1:0", "steps")]
    [InlineData("NaN:1:5", "not finite")]
    [InlineData("0:Infinity:5", "not finite")]
    [InlineData("0:1", "from:to:steps")]
    [InlineData("a:1:5", "from:to:steps")]
    public void BadAlphaRangesAreClearErrors(string text, string expected)
    {
        var e = Assert.Throws<ArgumentException>(() => AlphaRange.Parse(text));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AlphaRangesIncludeBothEnds()
    {
        Assert.Equal([-2, -1, 0, 1, 2], AlphaRange.Parse("-2:2:5").Values());
        Assert.Equal([0.5], AlphaRange.Parse("0.5:0.5:1").Values());
    }

    [Fact]
    public void AGeneratorWithoutAnEncoderCannotEncodeAndSaysWhichModelsCan()
    {
        var o = GanTestData.Tiny(GanKind.Gan);
        var entry = (TrainedModelEntry)ModelRegistry.Get(o.ModelName);
        var space = LatentSpace.Of(entry.Create(o));
        Assert.False(space.CanEncode);
        var e = Assert.Throws<ArgumentException>(() => space.Encode(new float[space.Shape.Dim], 1));
        Assert.Contains("cannot encode", e.Message, StringComparison.Ordinal);
        Assert.Contains("vae", e.Message, StringComparison.Ordinal);
        Assert.Contains("latent search", e.Message, StringComparison.Ordinal);
        Assert.Equal(space.Shape.Dim * 3, space.Decode(space.SamplePrior(3, new Rng(1)), 3).Length);
    }
}

// The seeded random source: reproducible, correct ranges and moments, valid permutations.
using Latent.Tensors;

namespace Latent.Tests.Tensors;

public class RngTests
{
    [Fact]
    public void SameSeedSameStreamDifferentSeedDifferentStream()
    {
        var a = new Rng(42); var b = new Rng(42); var c = new Rng(43);
        for (int i = 0; i < 100; i++) Assert.Equal(a.NextUInt64(), b.NextUInt64());
        Assert.NotEqual(new Rng(42).NextUInt64(), c.NextUInt64());
    }

    [Fact]
    public void UniformAndNormalMoments()
    {
        var rng = new Rng(1);
        var u = new float[100000];
        rng.Uniform(u, -1f, 3f);
        Assert.All(u, v => Assert.InRange(v, -1f, 3f));
        Assert.Equal(1.0, u.Average(), 1);
        var n = new float[100000];
        rng.Normal(n, 2f, 0.5f);
        double mean = n.Average(), var = n.Select(v => (v - mean) * (v - mean)).Average();
        Assert.Equal(2.0, mean, 2);
        Assert.Equal(0.25, var, 2);
    }

    [Fact]
    public void NormalFillsOddLengthsAndLongTails()
    {
        var rng = new Rng(9);
        var odd = new float[7];
        rng.Normal(odd);
        Assert.All(odd, v => Assert.True(float.IsFinite(v) && v != 0f));
        var many = new float[200001];
        rng.Normal(many);
        double beyond3 = many.Count(v => Math.Abs(v) > 3f) / (double)many.Length;
        Assert.InRange(beyond3, 0.0020, 0.0034);                  // P(|z| > 3) = 0.0027
    }

    [Fact]
    public void PermutationHasEveryIndexOnceAndIntIsInRange()
    {
        var rng = new Rng(3);
        int[] p = rng.Permutation(1000);
        Assert.Equal(Enumerable.Range(0, 1000), p.Order());
        Assert.NotEqual(Enumerable.Range(0, 1000), p);
        for (int i = 0; i < 1000; i++) Assert.InRange(rng.NextInt(7), 0, 6);
        Assert.Throws<ArgumentOutOfRangeException>(() => rng.NextInt(0));
    }
}

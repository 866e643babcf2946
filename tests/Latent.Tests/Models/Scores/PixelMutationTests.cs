// Ren et al.'s pixel mutation, shared by the flows and PixelCNN: rate 0 keeps every value, rate 1 replaces every one
// by a level on the grid, a rate mu replaces about mu of them, the replacements are uniform over the levels, and the
// same Rng gives the same mutation for 8-bit levels and for images k / 255.
using Latent.Models.Scores;
using Latent.Tensors;

namespace Latent.Tests.Models.Scores;

public class PixelMutationTests
{
    [Theory]
    [InlineData(0f, 0.0)]
    [InlineData(0.2f, 0.2)]
    [InlineData(1f, 1.0)]
    public void ARateReplacesThatFractionOfPixelsByUniformLevels(float rate, double expected)
    {
        const int n = 20000, levels = 4;
        var x = new float[n];
        Array.Fill(x, -1f);                                                    // off the grid: a replaced value is visible
        PixelMutation.Mutate(x, levels, rate, new Rng(9));
        var replaced = x.Where(v => v >= 0f).ToArray();
        Assert.InRange(replaced.Length / (double)n, expected - 0.01, expected + 0.01);
        Assert.All(replaced, v => Assert.Contains(v, new[] { 0f, 1f / 3, 2f / 3, 1f }));
        for (int l = 0; l < levels && replaced.Length > 0; l++)
            Assert.InRange(replaced.Count(v => v == l / 3f) / (double)replaced.Length, 0.22, 0.28);
    }

    [Fact]
    public void LevelsAndImagesMutateAlike()
    {
        var rng = new Rng(3);
        var k = new byte[500];
        for (int i = 0; i < k.Length; i++) k[i] = (byte)rng.NextInt(256);
        float[] x = k.Select(v => v / 255f).ToArray();
        PixelMutation.Mutate(k, 0.3f, new Rng(5));
        PixelMutation.Mutate(x, 256, 0.3f, new Rng(5));
        Assert.Equal(k.Select(v => v / 255f), x);
        Assert.Throws<ArgumentOutOfRangeException>(() => PixelMutation.Mutate(x, 1, 0.3f, new Rng(5)));
    }
}

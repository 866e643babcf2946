// Reductions against naive double-precision loops (the oracles).
using Latent.Tensors;
using Latent.Tensors.Kernels;

namespace Latent.Tests.Tensors;

public class ReductionOracleTests
{
    private static Tensor Random(int seed, params int[] shape)
    {
        var t = new Tensor(shape);
        new Rng((ulong)seed).Uniform(t.Data, -3f, 3f);
        return t;
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void SumOverEachAxisOfA3DTensor(int axis)
    {
        Tensor x = Random(1, 3, 5, 7);
        int[] s = x.ShapeArray();
        float[] actual = x.Sum(axis).ToArray();
        int i = 0;
        for (int a = 0; a < (axis == 0 ? s[1] : s[0]); a++)
            for (int b = 0; b < (axis == 2 ? s[1] : s[2]); b++)
            {
                double sum = 0;
                for (int d = 0; d < s[axis]; d++)
                {
                    int[] idx = axis switch { 0 => [d, a, b], 1 => [a, d, b], _ => [a, b, d] };
                    sum += x.Data[(idx[0] * s[1] + idx[1]) * s[2] + idx[2]];
                }
                Assert.Equal(sum, actual[i++], 4);
            }
    }

    [Fact]
    public void MeanAllAndSumAll()
    {
        Tensor x = Random(2, 4, 9);
        double s = 0;
        foreach (float v in x.Data) s += v;
        Assert.Equal(s, x.Sum().Item(), 4);
        Assert.Equal(s / 36, x.Mean().Item(), 5);
        Assert.Equal(0, x.Sum().Rank);
    }

    [Fact]
    public void LogSumExpIsStableAndMatchesTheNaiveFormula()
    {
        Tensor x = Random(3, 4, 6);
        float[] lse = x.LogSumExp().ToArray();
        for (int r = 0; r < 4; r++)
        {
            double s = 0;
            for (int c = 0; c < 6; c++) s += Math.Exp(x.Data[r * 6 + c]);
            Assert.Equal(Math.Log(s), lse[r], 5);
        }
        var big = new Tensor(new float[] { 1000f, 1000f, -1000f }, 1, 3);
        Assert.Equal(1000 + Math.Log(2), big.LogSumExp().Item(), 3);   // naive exp(1000) overflows
        float[] ls = big.LogSoftmax().ToArray();
        Assert.Equal(-Math.Log(2), ls[0], 5);
        Assert.True(float.IsFinite(ls[2]));
    }

    [Fact]
    public void BceWithLogitsIsFiniteForLargeLogits()
    {
        float[] x = [100f, -100f, 0f, 30f];
        float[] t = [0f, 1f, 0.5f, 1f];
        var loss = new float[4];
        Losses.BceWithLogitsForward(x, t, loss);
        Assert.Equal(100f, loss[0], 3);
        Assert.Equal(100f, loss[1], 3);
        Assert.Equal(MathF.Log(2f), loss[2], 5);
        Assert.True(loss[3] >= 0f && loss[3] < 1e-6f);
    }

    [Fact]
    public void KernelsCheckSpanLengths()
    {
        var ex = Assert.Throws<ArgumentException>(() => Activations.ReluForward(new float[3], new float[4]));
        Assert.Contains("3", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => Reductions.SumAxisForward(new float[6], 2, 2, 2, 1f, new float[4]));
    }
}

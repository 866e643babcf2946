// MADE's masks make it exactly autoregressive: (mu_i, alpha_i), and so u_i, do not change at all when an input of
// equal or later degree changes, for the natural and the reversed order; they do change with earlier inputs (so the
// test can fail). The Jacobian du/dx is therefore triangular in the order, zero above the diagonal.
using Latent.Models.Flows;
using Latent.Tensors;

namespace Latent.Tests.Models.Flows;

public class MadeTests
{
    [Theory]
    [InlineData(false, 1)]
    [InlineData(true, 1)]
    [InlineData(true, 3)]
    public void TheJacobianIsExactlyAutoregressive(bool reversed, int layers)
    {
        const int d = 7;
        var made = new Made(d, 20, layers, reversed, new Rng(2));
        FlowTestData.Randomise(made, 9);
        using var _ = GradMode.Disable();
        var x = new Tensor(1, d);
        new Rng(4).Normal(x.Data);
        float[] u0 = made.ToNoise(x).U.ToArray();
        int dependent = 0;
        for (int j = 0; j < d; j++)
        {
            Tensor xp = x.Clone();
            xp.Data[j] += 0.5f;
            float[] u = made.ToNoise(xp).U.ToArray();
            for (int i = 0; i < d; i++)
            {
                if (i == j) { Assert.NotEqual(u0[i], u[i]); continue; }
                if (made.Degrees[i] <= made.Degrees[j]) Assert.Equal(u0[i], u[i]);   // bit for bit: the masked weights are exactly zero
                else if (u0[i] != u[i]) dependent++;
            }
        }
        Assert.True(dependent >= d, $"only {dependent} outputs depend on an earlier input: the net is nearly constant");
    }

    [Fact]
    public void TheOrderAlternatesBetweenTheStepsOfAMaf()
    {
        var maf = new Maf(Latent.Models.ImageShape.Flat(4), 3, 8, 1, batchNorm: true, new Rng(1));
        Assert.Equal([1, 2, 3, 4], maf.Steps[0].Degrees);
        Assert.Equal([4, 3, 2, 1], maf.Steps[1].Degrees);
        Assert.Equal([1, 2, 3, 4], maf.Steps[2].Degrees);
    }
}

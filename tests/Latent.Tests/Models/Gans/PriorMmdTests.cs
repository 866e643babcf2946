// WAE-MMD's prior-matching penalty (Mmd, shared with the WAE) and the BiGAN's --prior-weight: the value equals a double-precision loop
// over the pairs, its gradient passes the central-difference check, it is near 0 for two prior batches and large for a
// shifted one; the BiGAN's E, G loss grows by exactly lambda MMD^2(E(x), z') (hand-computed from the step's second prior
// draw), older options load without it, and bad values are clear errors.
using Latent.Models;
using Latent.Models.Autoencoders;
using Latent.Models.Gans;
using Latent.Tensors;
using Latent.Tests.Models.Autoencoders;
using Latent.Tests.Tensors;

namespace Latent.Tests.Models.Gans;

public class PriorMmdTests
{
    private static double Reference(Tensor q, Tensor p)
    {
        int n = q.Dim(0), z = q.Dim(1);
        float[] qa = q.ToArray(), pa = p.ToArray();
        double K(float[] a, int i, float[] b, int j, double c)
        {
            double d2 = 0;
            for (int k = 0; k < z; k++) d2 += Math.Pow(a[i * z + k] - b[j * z + k], 2);
            return c / (c + d2);
        }
        double total = 0;
        foreach (float s in Mmd.Scales)
        {
            double c = 2.0 * z * s, within = 0, across = 0;
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++)
                {
                    if (i != j) within += K(pa, i, pa, j, c) + K(qa, i, qa, j, c);
                    across += K(pa, i, qa, j, c);
                }
            total += within / (n * (n - 1.0)) - 2 * across / ((double)n * n);
        }
        return total;
    }

    [Fact]
    public void MatchesALoopOverThePairs()
    {
        var rng = new Rng(4);
        Tensor q = rng.NormalTensor(6, 3) * 1.5f + 0.3f, p = rng.NormalTensor(6, 3);
        Assert.Equal(Reference(q, p), Mmd.InverseMultiquadric(q, p).Item(), 5);
    }

    [Fact]
    public void ItsGradientPassesTheCentralDifferenceCheck()
    {
        var rng = new Rng(5);
        Tensor q = GradCheck.Random(rng, 5, 3), p = GradCheck.Random(rng, 5, 3);
        q.RequiresGrad = true;
        p.RequiresGrad = true;
        GradCheck.Check(t => Mmd.InverseMultiquadric(t[0], t[1]), q, p);
    }

    [Fact]
    public void ItTellsAShiftedBatchFromThePrior()
    {
        var rng = new Rng(6);
        Tensor p = rng.NormalTensor(64, 8), same = rng.NormalTensor(64, 8), shifted = rng.NormalTensor(64, 8) * 0.2f + 2f;
        float near = Mmd.InverseMultiquadric(same, p).Item(), far = Mmd.InverseMultiquadric(shifted, p).Item();
        Assert.InRange(Math.Abs(near), 0f, 0.05f);
        Assert.True(far > 10 * Math.Abs(near) && far > 0.1f, $"MMD of a shifted batch {far}, of a prior batch {near}");
    }

    [Theory]
    [InlineData(1, 3, 1, 3)]
    [InlineData(4, 3, 4, 2)]
    [InlineData(4, 3, 5, 3)]
    public void BadShapesAreClearErrors(int n, int z, int m, int w)
    {
        var e = Assert.Throws<ArgumentException>(() => Mmd.InverseMultiquadric(new Tensor(n, z), new Tensor(m, w)));
        Assert.StartsWith("MMD needs two (N, Z) batches of the same shape with N >= 2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheBiganLossGrowsByTheWeightedMmdOfItsCodes()
    {
        const int n = 6, latent = 4;
        const float weight = 3f;
        var data = AutoencoderTestData.Threes();
        var x = new Tensor(n, 1, 28, 28);
        for (int i = 0; i < n; i++) data.Row(i).CopyTo(x.Data.Slice(i * data.Dim, data.Dim));
        var o = GanTestData.Tiny(GanKind.Bigan, latent) with { CycleWeight = 1f };
        var plain = new BiganModel(o);
        var pulled = new BiganModel(o with { PriorWeight = weight });                     // the same weights (same seed)
        plain.Train();
        pulled.Train();
        Tensor codes;
        using (GradMode.Disable()) codes = plain.Encode(x);                                // E is not updated in phase (1)
        var draws = new Rng(2);
        draws.NormalTensor(n, latent);                                                     // phase (1)'s z
        Tensor z2 = draws.NormalTensor(n, latent);                                         // phase (2)'s z'
        float[] a = plain.TrainStep(x, new Rng(2)), b = pulled.TrainStep(x, new Rng(2));
        Assert.Equal(a[0], b[0]);                                                          // D's phase is untouched
        float mmd = Mmd.InverseMultiquadric(codes, z2).Item();
        Assert.True(mmd > 0, $"MMD {mmd}");
        Assert.Equal(a[1] + weight * mmd, b[1], 1e-4f * Math.Max(1f, Math.Abs(b[1])));
    }

    [Fact]
    public void OptionsWithoutItBuildTheOldModel()
    {
        var entry = ModelRegistry.Get("bigan");
        string json = entry.WriteOptions(GanTestData.Tiny(GanKind.Bigan) with { PriorWeight = 2f });
        Assert.Contains("\"PriorWeight\"", json, StringComparison.Ordinal);
        json = System.Text.RegularExpressions.Regex.Replace(json, "\"PriorWeight\":[^,}]*,?", "");
        var o = Assert.IsType<GanOptions>(entry.ReadOptions(json, "old.safetensors"));
        Assert.Equal(0f, o.PriorWeight);
    }

    [Theory]
    [InlineData(GanKind.Bigan, -1f, "prior MMD weight -1 must be a finite number >= 0")]
    [InlineData(GanKind.Bigan, float.NaN, "prior MMD weight NaN must be a finite number >= 0")]
    [InlineData(GanKind.Gan, 1f, "the prior MMD weight is for the bigan model's encoder, not gan")]
    public void BadValuesAreClearErrors(GanKind kind, float weight, string message)
    {
        var e = Assert.Throws<ArgumentException>((GanTestData.Tiny(kind) with { PriorWeight = weight }).Validate);
        Assert.StartsWith(message, e.Message, StringComparison.Ordinal);
    }
}

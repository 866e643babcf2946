// BiGAN's training step moves each side the right way (issue 13 asked whether E's inverted codes came from a sign or a
// detach bug): on one batch with known noise, phase (1) lowers D's loss on the pairs it saw, and phase (2) lowers the
// E, G loss under the updated D; and ALICE's cycle terms (CycleWeight, LatentCycleWeight) add exactly
// lambda_x mean (G(E(x)) - x)^2 + lambda_z mean (E(G(z)) - z)^2 to loss_eg.
using Latent.Models.Gans;
using Latent.Tensors;

namespace Latent.Tests.Models.Gans;

public class BiganDirectionTests
{
    private const int N = 8;

    private static Tensor Batch() => GanTestData.Threes(N);

    private static GanOptions Options(float cycle = 0f, float latentCycle = 0f)
    {
        var o = GanTestData.Tiny(GanKind.Bigan, latent: 4) with { CycleWeight = cycle, LatentCycleWeight = latentCycle };
        return o with { Training = o.Training with { LearningRate = 1e-4f, Seed = 9 } };
    }

    private static double LossEG(BiganModel m, Tensor real, Tensor code, Tensor fake, Tensor z) =>
        (GanLosses.Generator(GanLoss.NonSaturating, m.Discriminator.Logit(fake, z))
         + GanLosses.Generator(GanLoss.NonSaturating, -m.Discriminator.Logit(real, code))).Item();

    [Fact]
    public void EachPhaseLowersItsOwnLoss()
    {
        var m = new BiganModel(Options());
        m.Train();
        Tensor x = Batch(), real = x * 2f - 1f;
        var draws = new Rng(11);
        Tensor z = m.SamplePrior(N, draws), z2 = m.SamplePrior(N, draws);              // the step's two noise draws
        Tensor e0, g0, g20;
        double d0, eg0;
        using (GradMode.Disable())
        {
            e0 = m.Encode(x);
            g0 = m.Decode(z);
            g20 = m.Decode(z2);
            d0 = GanLosses.Discriminator(GanLoss.NonSaturating, m.Discriminator.Logit(real, e0), m.Discriminator.Logit(g0, z)).Item();
        }
        float[] terms = m.TrainStep(x, new Rng(11));
        Assert.Equal(d0, terms[0], 4);                                                   // phase (1) saw these pairs
        using (GradMode.Disable())
        {
            double d1 = GanLosses.Discriminator(GanLoss.NonSaturating, m.Discriminator.Logit(real, e0), m.Discriminator.Logit(g0, z)).Item();
            Assert.True(d1 < d0, $"phase (1) raised D's loss on its own pairs: {d0} -> {d1}");
            eg0 = LossEG(m, real, e0, g20, z2);                                          // old E, G under the new D
            Assert.Equal(eg0, terms[1], 4);
            double eg1 = LossEG(m, real, m.Encode(x), m.Decode(z2), z2);
            Assert.True(eg1 < eg0, $"phase (2) raised the E, G loss: {eg0} -> {eg1}");
        }
    }

    [Fact]
    public void TheCycleTermsAddTheirWeightedErrors()
    {
        Tensor x = Batch(), real = x * 2f - 1f;
        var plain = new BiganModel(Options());
        var cyclic = new BiganModel(Options(cycle: 3f, latentCycle: 0.5f));
        plain.Train();
        cyclic.Train();
        var draws = new Rng(5);
        cyclic.SamplePrior(N, draws);
        Tensor z2 = cyclic.SamplePrior(N, draws);
        double cx = 0, cz = 0;
        using (GradMode.Disable())
        {
            float[] rebuilt = cyclic.Decode(cyclic.Encode(x)).ToArray(), xr = real.ToArray();
            for (int i = 0; i < xr.Length; i++) cx += (double)(rebuilt[i] - xr[i]) * (rebuilt[i] - xr[i]);
            float[] back = cyclic.Encode(cyclic.Mean(cyclic.Decode(z2))).ToArray(), zs = z2.ToArray();
            for (int i = 0; i < zs.Length; i++) cz += (double)(back[i] - zs[i]) * (back[i] - zs[i]);
            cx /= xr.Length;
            cz /= zs.Length;
        }
        float[] a = plain.TrainStep(x, new Rng(5)), b = cyclic.TrainStep(x, new Rng(5));
        Assert.Equal(a[0], b[0]);                                                        // phase (1) is unchanged
        Assert.True(cx > 0 && cz > 0);
        Assert.Equal(a[1] + 3 * cx + 0.5 * cz, b[1], 3);
    }
}

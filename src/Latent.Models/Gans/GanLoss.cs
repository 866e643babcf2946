// The adversarial objectives of the GAN family, on discriminator logits (or critic values) of real and fake batches:
//   NonSaturating (Goodfellow et al. 2014, sec. 3; DCGAN's):
//     D: maximise log D(x) + log(1 - D(G(z)))  =  minimise softplus(-d_real) + softplus(d_fake)   (BCE with labels 1, 0)
//     G: maximise log D(G(z))                  =  minimise softplus(-d_fake)
//   Hinge (Lim and Ye 2017; Miyato et al. 2018):
//     D: minimise mean relu(1 - d_real) + mean relu(1 + d_fake)
//     G: minimise -mean d_fake
using Latent.Tensors;

namespace Latent.Models.Gans;

/// <summary>The GAN family's adversarial objective: DCGAN's non-saturating cross-entropy, or the hinge loss.</summary>
public enum GanLoss
{
    NonSaturating,
    Hinge,
}

/// <summary>The discriminator's and the generator's loss of each GanLoss, on logits (or critic values).</summary>
public static class GanLosses
{
    /// <summary>The discriminator's loss on logits of real (N, 1) and fake (M, 1) batches (means over each batch).</summary>
    public static Tensor Discriminator(GanLoss loss, Tensor real, Tensor fake)
    {
        ArgumentNullException.ThrowIfNull(real);
        ArgumentNullException.ThrowIfNull(fake);
        return loss == GanLoss.Hinge
            ? (1f - real).Relu().Mean() + (1f + fake).Relu().Mean()
            : (-real).Softplus().Mean() + fake.Softplus().Mean();
    }

    /// <summary>The generator's loss on the logits of its fakes (N, 1).</summary>
    public static Tensor Generator(GanLoss loss, Tensor fake)
    {
        ArgumentNullException.ThrowIfNull(fake);
        return loss == GanLoss.Hinge ? -fake.Mean() : (-fake).Softplus().Mean();
    }
}

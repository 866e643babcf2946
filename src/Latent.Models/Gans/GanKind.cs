// The kinds of the GAN family: DCGAN (gan), BiGAN / ALI (bigan) and InfoGAN (infogan).
namespace Latent.Models.Gans;

/// <summary>The kinds of the GAN family: DCGAN (gan), BiGAN / ALI (bigan) and InfoGAN (infogan).</summary>
public enum GanKind
{
    Gan,
    Bigan,
    Infogan,
}

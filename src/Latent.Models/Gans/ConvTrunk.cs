// The DCGAN discriminator's convolutional trunk, shared by the family's discriminators, BiGAN's encoder and InfoGAN's
// Q network (sized by GanOptions.DiscriminatorChannels; defaults ../shared/peers/ae_torch.py's D):
//   x (N, C, H, W) in [-1, 1] -> Conv2d(C, d0, k4, s2, p1) -> (N, d0, H/2, W/2) LeakyReLU(0.2)
//   -> Conv2d(d0, d1, k4, s2, p1) -> (N, d1, H/4, W/4) BatchNorm2d LeakyReLU(0.2) -> Flatten (N, d1 (H/4)(W/4))
// With spectral normalisation (Miyato et al. 2018) each convolution is wrapped and the batch norm is left out, as in
// SN-GAN's discriminators; an encoder is never spectrally normalised.
using Latent.Nn;
using Latent.Nn.Layers;
using Latent.Tensors;

namespace Latent.Models.Gans;

/// <summary>The DCGAN discriminator's convolutional trunk, shared by the family's discriminators, BiGAN's encoder and InfoGAN's Q network (sized by GanOptions.DiscriminatorChannels).</summary>
public sealed class ConvTrunk : Module
{
    public ConvTrunk(GanOptions options, bool spectralNorm, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(rng);
        int d0 = options.DiscriminatorChannels[0], d1 = options.DiscriminatorChannels[1];
        Module Sn(Module m) => spectralNorm ? new SpectralNorm(m, rng) : m;
        var layers = new List<Module> { Sn(new Conv2d(options.Channels, d0, 4, rng, 2, 1)), new LeakyRelu(0.2f), Sn(new Conv2d(d0, d1, 4, rng, 2, 1)) };
        if (!spectralNorm) layers.Add(new BatchNorm2d(d1));
        layers.AddRange([new LeakyRelu(0.2f), new Flatten()]);
        Net = RegisterModule("net", new Sequential([.. layers]));
        Features = d1 * (options.Height / 4) * (options.Width / 4);
    }

    public Sequential Net { get; }

    /// <summary>F, the flattened output size d1 (H/4)(W/4).</summary>
    public int Features { get; }

    /// <summary>(N, C, H, W) in [-1, 1] -> (N, F).</summary>
    public override Tensor Forward(Tensor input) => Net.Forward(input);
}

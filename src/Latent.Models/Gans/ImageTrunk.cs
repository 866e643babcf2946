// The image trunk shared by the family's discriminators, BiGAN's encoder, gan's f-AnoGAN encoder and InfoGAN's Q
// network (sized by GanOptions.DiscriminatorChannels, laid out by GanOptions.Network; defaults ../shared/peers/ae_torch.py's D):
//   Conv:  x (N, C, H, W) in [-1, 1] -> Conv2d(C, d0, k4, s2, p1) -> (N, d0, H/2, W/2) LeakyReLU(0.2)
//          -> Conv2d(d0, d1, k4, s2, p1) -> (N, d1, H/4, W/4) BatchNorm2d LeakyReLU(0.2) -> Flatten (N, d1 (H/4)(W/4))
//          With spectral normalisation (Miyato et al. 2018) each convolution is wrapped and the batch norm is left out,
//          as in SN-GAN's discriminators; an encoder is never spectrally normalised.
//   Dense: x -> Flatten (N, C H W) -> Linear(C H W, d0) LeakyReLU(0.2) [BN] -> Linear(d0, d1) LeakyReLU(0.2) [BN] -> (N, d1)
//          (as many layers as widths; none: the flattened image, which BiGAN's dense joint D takes)
//          with batch norm (Keras momentum 0.8, eps 1e-3) in an encoder only, as Keras-GAN's E and D.
using Latent.Nn;
using Latent.Nn.Layers;
using Latent.Tensors;

namespace Latent.Models.Gans;

/// <summary>The image trunk shared by the family's discriminators, BiGAN's encoder, gan's f-AnoGAN encoder and InfoGAN's Q network.</summary>
public sealed class ImageTrunk : Module
{
    /// <summary>Keras's BatchNormalization(momentum=0.8) in PyTorch's convention (the new batch's weight), and its eps.</summary>
    internal const float DenseNormMomentum = 0.2f, DenseNormEps = 1e-3f;

    public ImageTrunk(GanOptions options, bool spectralNorm, Rng rng, bool encoder = false)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(rng);
        Module Sn(Module m) => spectralNorm ? new SpectralNorm(m, rng) : m;
        var layers = new List<Module>();
        if (options.Network == GanNetwork.Dense)
        {
            int width = options.Shape.Dim;
            layers.Add(new Flatten());
            foreach (int o in options.DiscriminatorChannels)                      // none: only the flattening (BiGAN's joint D)
            {
                layers.AddRange([Sn(new Linear(width, o, rng)), new LeakyRelu(0.2f)]);
                if (encoder && !spectralNorm) layers.Add(new BatchNorm1d(o, DenseNormMomentum, DenseNormEps));
                width = o;
            }
            Features = width;
        }
        else
        {
            int d0 = options.DiscriminatorChannels[0], d1 = options.DiscriminatorChannels[1];
            // In place over the first convolution's output, which nothing else reads (as the DCGAN examples' inplace=True).
            layers.AddRange([Sn(new Conv2d(options.Channels, d0, 4, rng, 2, 1)), new LeakyRelu(0.2f, inPlace: true), Sn(new Conv2d(d0, d1, 4, rng, 2, 1))]);
            if (!spectralNorm) layers.Add(new BatchNorm2d(d1));
            layers.AddRange([new LeakyRelu(0.2f), new Flatten()]);
            Features = d1 * (options.Height / 4) * (options.Width / 4);
        }
        Net = RegisterModule("net", new Sequential([.. layers]));
    }

    public Sequential Net { get; }

    /// <summary>F, the flattened output size: d1 (H/4)(W/4) for the convolutions, d1 for the dense layers.</summary>
    public int Features { get; }

    /// <summary>(N, C, H, W) in [-1, 1] -> (N, F).</summary>
    public override Tensor Forward(Tensor input) => Net.Forward(input);
}

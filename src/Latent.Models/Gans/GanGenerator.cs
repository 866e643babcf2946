// The DCGAN generator of the GAN family, as one Sequential (its exact Jacobian is taken layer by layer), sized by
// GanOptions (defaults: ../shared/peers/ae_torch.py's G, 778,305 parameters at Z = 100, PyTorch default init):
//   z (N, Z) -> Linear(Z, g0 (H/4)(W/4)) BatchNorm1d ReLU -> Unflatten (N, g0, H/4, W/4)
//   -> ConvTranspose2d(g0, g1, k4, s2, p1) -> (N, g1, H/2, W/2) BatchNorm2d ReLU
//   -> ConvTranspose2d(g1, C, k4, s2, p1) -> (N, C, H, W) tanh: images in [-1, 1]
// GanNetwork.Dense (Keras-GAN's G): z -> Linear(Z, g0) LeakyReLU(0.2) BN -> Linear(g0, g1) LeakyReLU(0.2) BN
//   -> Linear(g1, C H W) tanh -> Unflatten (N, C, H, W).
using Latent.Nn;
using Latent.Nn.Layers;
using Latent.Tensors;

namespace Latent.Models.Gans;

/// <summary>The DCGAN generator of the GAN family, as one Sequential (its exact Jacobian is taken layer by layer), sized by GanOptions (DCGAN or dense layout).</summary>
public sealed class GanGenerator : Module
{
    public GanGenerator(GanOptions options, int codeSize, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(rng);
        int g0 = options.GeneratorChannels[0], g1 = options.GeneratorChannels[1], h = options.Height / 4, w = options.Width / 4;
        const float m = ImageTrunk.DenseNormMomentum, eps = ImageTrunk.DenseNormEps;
        Net = RegisterModule("net", options.Network == GanNetwork.Dense
            ? new Sequential(
                new Linear(codeSize, g0, rng), new LeakyRelu(0.2f), new BatchNorm1d(g0, m, eps),
                new Linear(g0, g1, rng), new LeakyRelu(0.2f), new BatchNorm1d(g1, m, eps),
                new Linear(g1, options.Shape.Dim, rng), new Tanh(), new Unflatten(options.Channels, options.Height, options.Width))
            : new Sequential(
            new Linear(codeSize, g0 * h * w, rng), new BatchNorm1d(g0 * h * w), new Relu(), new Unflatten(g0, h, w),
            new ConvTranspose2d(g0, g1, 4, rng, 2, 1), new BatchNorm2d(g1), new Relu(),
            new ConvTranspose2d(g1, options.Channels, 4, rng, 2, 1), new Tanh()));
    }

    public Sequential Net { get; }

    /// <summary>z (N, Z) -> (N, C, H, W) in [-1, 1].</summary>
    public override Tensor Forward(Tensor input) => Net.Forward(input);
}

// BiGAN's joint discriminator D(x, z) (Donahue et al. 2017; ALI, Dumoulin et al. 2017; the layout of ALAD's D_xz,
// Zenati et al. 2018): the image goes through the DCGAN trunk (ConvTrunk), the code through a dense layer, and the
// two are joined:
//   x (N, C, H, W) in [-1, 1] -> trunk -> (N, F)          z (N, Z) -> Linear(Z, J/2) LeakyReLU(0.2) -> (N, J/2)
//   concat (N, F + J/2) -> Linear(F + J/2, J) LeakyReLU(0.2) -> (N, J) hidden features -> Linear(J, 1) logit
// Every layer is spectrally normalised when GanOptions.SpectralNorm.
using Latent.Nn;
using Latent.Nn.Layers;
using Latent.Tensors;

namespace Latent.Models.Gans;

/// <summary>BiGAN's joint discriminator D(x, z) (Donahue et al. 2017; ALI, Dumoulin et al. 2017; the layout of ALAD's D_xz, Zenati et al. 2018).</summary>
public sealed class JointDiscriminator : Module
{
    public JointDiscriminator(GanOptions options, int latent, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(rng);
        bool sn = options.SpectralNorm;
        Module L(int i, int o) => sn ? new SpectralNorm(new Linear(i, o, rng), rng) : new Linear(i, o, rng);
        int j = options.JointWidth, half = j / 2;
        Trunk = RegisterModule("trunk", new ConvTrunk(options, sn, rng));
        CodePath = RegisterModule("code", new Sequential(L(latent, half), new LeakyRelu(0.2f)));
        Joint = RegisterModule("joint", new Sequential(L(Trunk.Features + half, j), new LeakyRelu(0.2f)));
        Head = RegisterModule("head", L(j, 1));
    }

    public ConvTrunk Trunk { get; }
    public Sequential CodePath { get; }
    public Sequential Joint { get; }
    public Module Head { get; }

    /// <summary>The hidden features f(x, z): (N, C, H, W), (N, Z) -> (N, J).</summary>
    public Tensor Hidden(Tensor x, Tensor z) => Joint.Forward(Tensor.Concat(1, Trunk.Forward(x), CodePath.Forward(z)));

    /// <summary>The logit that (x, z) came from the encoder (x real): (N, 1).</summary>
    public Tensor Logit(Tensor x, Tensor z) => Head.Forward(Hidden(x, z));

    public override Tensor Forward(Tensor input) =>
        throw new NotSupportedException("the joint discriminator takes an image and a code: call Logit(x, z).");
}

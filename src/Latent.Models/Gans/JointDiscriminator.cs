// BiGAN's joint discriminator D(x, z) (Donahue et al. 2017; ALI, Dumoulin et al. 2017; the layout of ALAD's D_xz,
// Zenati et al. 2018): the image goes through the DCGAN trunk (ImageTrunk), the code through a dense layer, and the
// two are joined:
//   x (N, C, H, W) in [-1, 1] -> trunk -> (N, F)          z (N, Z) -> Linear(Z, J/2) LeakyReLU(0.2) -> (N, J/2)
//   concat (N, F + J/2) -> Linear(F + J/2, J) LeakyReLU(0.2) -> (N, J) hidden features -> Linear(J, 1) logit
// Every layer is spectrally normalised when GanOptions.SpectralNorm. With GanOptions.DiscriminatorDropout p > 0 (ALAD's
// 0.2) the trunk's output, the code path's output and the hidden features are dropped out (inverted: kept values x
// 1 / (1 - p)) before the next layer, only in training and only when a step's Rng is given (the masks come from the
// training step's noise, so a resumed run draws the same masks); Hidden, the features of ALAD's score, never drops.
// GanNetwork.Dense (Keras-GAN's BiGAN D, the seed study's): the trunk only flattens the image and the code path is the
// identity, so the joint layers see [x | z] directly:
//   concat (N, C H W + Z) -> Linear(., J) LeakyReLU(0.2) -> Linear(J, J) LeakyReLU(0.2) -> Linear(J, J) LeakyReLU(0.2)
//   -> (N, J) hidden features -> Linear(J, 1) logit, with dropout after each of the three (Keras-GAN: 0.5).
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
        Dense = options.Network == GanNetwork.Dense;
        if (Dense)
        {
            Trunk = RegisterModule("trunk", new ImageTrunk(options with { DiscriminatorChannels = [] }, sn, rng));
            CodePath = RegisterModule("code", new Sequential(Array.Empty<Module>()));
            Joint = RegisterModule("joint", new Sequential(
                L(Trunk.Features + latent, j), new LeakyRelu(0.2f), L(j, j), new LeakyRelu(0.2f), L(j, j), new LeakyRelu(0.2f)));
        }
        else
        {
            Trunk = RegisterModule("trunk", new ImageTrunk(options, sn, rng));
            CodePath = RegisterModule("code", new Sequential(L(latent, half), new LeakyRelu(0.2f)));
            Joint = RegisterModule("joint", new Sequential(L(Trunk.Features + half, j), new LeakyRelu(0.2f)));
        }
        Head = RegisterModule("head", L(j, 1));
        Dropout = options.DiscriminatorDropout;
    }

    /// <summary>Keras-GAN's dense layout (GanNetwork.Dense): [x | z] straight into three joint layers.</summary>
    public bool Dense { get; }

    /// <summary>The dropout probability in training (0: none).</summary>
    public float Dropout { get; }

    public ImageTrunk Trunk { get; }
    public Sequential CodePath { get; }
    public Sequential Joint { get; }
    public Module Head { get; }

    /// <summary>The hidden features f(x, z): (N, C, H, W), (N, Z) -> (N, J), without dropout.</summary>
    public Tensor Hidden(Tensor x, Tensor z) => Hidden(x, z, null);

    /// <summary>The logit that (x, z) came from the encoder (x real): (N, 1); with a training step's
    /// <paramref name="dropout"/> noise and Dropout > 0 in training mode, with dropout.</summary>
    public Tensor Logit(Tensor x, Tensor z, Rng? dropout = null) => Head.Forward(Drop(Hidden(x, z, dropout), dropout));

    private Tensor Hidden(Tensor x, Tensor z, Rng? dropout)
    {
        if (!Dense) return Joint.Forward(Tensor.Concat(1, Drop(Trunk.Forward(x), dropout), Drop(CodePath.Forward(z), dropout)));
        Tensor h = Tensor.Concat(1, Trunk.Forward(x), CodePath.Forward(z));     // (N, C H W + Z)
        IReadOnlyList<Module> layers = Joint.Layers;
        for (int i = 0; i < layers.Count; i++)
        {
            h = layers[i].Forward(h);
            if (layers[i] is LeakyRelu && i < layers.Count - 1) h = Drop(h, dropout);   // the last one drops in Logit
        }
        return h;
    }

    /// <summary>Inverted dropout of <paramref name="t"/> with masks from <paramref name="rng"/>: t itself when there is
    /// no dropout, no Rng, or the module is in eval mode.</summary>
    private Tensor Drop(Tensor t, Rng? rng)
    {
        if (rng is null || Dropout == 0f || !IsTraining) return t;
        Tensor mask = Tensor.Uninitialized(t.ShapeArray());                       // same shape as t
        Span<float> m = mask.Data;
        float keep = 1f / (1f - Dropout);
        for (int i = 0; i < m.Length; i++) m[i] = rng.NextFloat() < Dropout ? 0f : keep;
        return t * mask;
    }

    public override Tensor Forward(Tensor input) =>
        throw new NotSupportedException("the joint discriminator takes an image and a code: call Logit(x, z).");
}

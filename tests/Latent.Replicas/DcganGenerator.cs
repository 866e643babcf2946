// The DCGAN generator of ../shared/peers/ae_torch.py (Radford et al. 2016), 778,305 params (incl. batch-norm affine),
// PyTorch default init (the peer does not apply DCGAN's N(0, 0.02) weights_init). Names as PyTorch's state_dict.
//   z (N, 100) -> fc: Linear(100, 6272) BatchNorm1d(6272) ReLU -> view (N, 128, 7, 7)
//   -> net: ConvT(128, 64, k4, s2, p1) -> (N, 64, 14, 14) BatchNorm2d(64) ReLU -> ConvT(64, 1, k4, s2, p1) -> (N, 1, 28, 28) tanh
using Latent.Nn;
using Latent.Nn.Layers;
using Latent.Tensors;

namespace Latent.Replicas;

public sealed class DcganGenerator : Module
{
    public DcganGenerator(Rng rng, int latent = 100)
    {
        ArgumentNullException.ThrowIfNull(rng);
        Latent = latent;
        Fc = RegisterModule("fc", new Sequential(new Linear(latent, 6272, rng), new BatchNorm1d(6272), new Relu()));
        Net = RegisterModule("net", new Sequential(
            new ConvTranspose2d(128, 64, 4, rng, 2, 1), new BatchNorm2d(64), new Relu(),
            new ConvTranspose2d(64, 1, 4, rng, 2, 1), new Tanh()));
    }

    /// <summary>Z, the noise size.</summary>
    public int Latent { get; }
    public Sequential Fc { get; }
    public Sequential Net { get; }

    /// <summary>z (N, Z) -> images (N, 1, 28, 28) in [-1, 1].</summary>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        Tensor h = Fc.Forward(input);                                    // (N, 6272)
        return Net.Forward(h.Reshape(h.Dim(0), 128, 7, 7));             // (N, 1, 28, 28)
    }
}

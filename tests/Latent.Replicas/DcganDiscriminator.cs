// The DCGAN discriminator of ../shared/peers/ae_torch.py (Radford et al. 2016), 138,817 params, PyTorch default init.
//   x (N, 1, 28, 28) -> Conv(1, 64, k4, s2, p1) -> (N, 64, 14, 14) LeakyReLU(0.2)
//   -> Conv(64, 128, k4, s2, p1) -> (N, 128, 7, 7) BatchNorm2d(128) LeakyReLU(0.2) -> Flatten 6272 -> Linear(6272, 1) logit
// Names as PyTorch's nn.Sequential state_dict ("0.weight", ..., "6.bias").
using Latent.Nn;
using Latent.Nn.Layers;
using Latent.Tensors;

namespace Latent.Replicas;

public sealed class DcganDiscriminator : Module
{
    public DcganDiscriminator(Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        Net = RegisterModule("net", new Sequential(
            new Conv2d(1, 64, 4, rng, 2, 1), new LeakyRelu(0.2f), new Conv2d(64, 128, 4, rng, 2, 1), new BatchNorm2d(128),
            new LeakyRelu(0.2f), new Flatten(), new Linear(6272, 1, rng)));
    }

    public Sequential Net { get; }

    /// <summary>(N, 1, 28, 28) -> logits (N, 1).</summary>
    public override Tensor Forward(Tensor input) => Net.Forward(input);
}

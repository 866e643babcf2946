// The convolutional VAE of the seed study (../shared/peers/vae_torch.py, exact; Kingma & Welling 2014), 358,185 params.
// Parameter names equal PyTorch's state_dict keys ("enc.0.weight", ..., "dec.13.bias").
//   Encoder (N, 1, 28, 28):  Conv(1,32,s1) ReLU -> (32, 28, 28); Conv(32,32,s2) ReLU -> (32, 14, 14);
//            Conv(32,64,s1) ReLU -> (64, 14, 14); Conv(64,64,s2) ReLU -> (64, 7, 7); Flatten 3136; Linear(3136, 2Z)
//            mu = [:, :Z], logvar = [:, Z:]
//   Decoder (N, Z):  Linear(Z, 3136) ReLU, Unflatten (64, 7, 7); ConvT(64,64,s1) ReLU; ConvT(64,64,s2,op1) ReLU -> 14;
//            ConvT(64,32,s1) ReLU; ConvT(32,32,s2,op1) ReLU -> 28; ConvT(32,1,s1) -> (N, 1, 28, 28) Bernoulli logits
//   All kernels 3x3, padding 1. z = mu + exp(0.5 logvar) eps; the loss is VaeReplica's.
using Latent.Nn.Layers;
using Latent.Tensors;

namespace Latent.Replicas;

public sealed class ConvVae : VaeReplica
{
    /// <summary>Builds the network with PyTorch's default init drawn from <paramref name="rng"/>.</summary>
    public ConvVae(Rng rng, int latent = 20)
        : base(latent,
            "enc", new Sequential(
                new Conv2d(1, 32, 3, rng, 1, 1), new Relu(), new Conv2d(32, 32, 3, rng, 2, 1), new Relu(),
                new Conv2d(32, 64, 3, rng, 1, 1), new Relu(), new Conv2d(64, 64, 3, rng, 2, 1), new Relu(),
                new Flatten(), new Linear(3136, 2 * latent, rng)),
            "dec", new Sequential(
                new Linear(latent, 3136, rng), new Relu(), new Unflatten(64, 7, 7),
                new ConvTranspose2d(64, 64, 3, rng, 1, 1), new Relu(),
                new ConvTranspose2d(64, 64, 3, rng, 2, 1, 1), new Relu(),
                new ConvTranspose2d(64, 32, 3, rng, 1, 1), new Relu(),
                new ConvTranspose2d(32, 32, 3, rng, 2, 1, 1), new Relu(),
                new ConvTranspose2d(32, 1, 3, rng, 1, 1)))
    {
    }
}

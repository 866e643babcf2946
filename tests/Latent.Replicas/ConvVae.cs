// The convolutional VAE of the seed study (../shared/peers/vae_torch.py, exact; Kingma & Welling 2014), 358,185 params.
// Parameter names equal PyTorch's state_dict keys ("enc.0.weight", ..., "dec.13.bias").
//   Encoder (N, 1, 28, 28):  Conv(1,32,s1) ReLU -> (32, 28, 28); Conv(32,32,s2) ReLU -> (32, 14, 14);
//            Conv(32,64,s1) ReLU -> (64, 14, 14); Conv(64,64,s2) ReLU -> (64, 7, 7); Flatten 3136; Linear(3136, 2Z)
//            mu = [:, :Z], logvar = [:, Z:]
//   Decoder (N, Z):  Linear(Z, 3136) ReLU, Unflatten (64, 7, 7); ConvT(64,64,s1) ReLU; ConvT(64,64,s2,op1) ReLU -> 14;
//            ConvT(64,32,s1) ReLU; ConvT(32,32,s2,op1) ReLU -> 28; ConvT(32,1,s1) -> (N, 1, 28, 28) Bernoulli logits
//   All kernels 3x3, padding 1. z = mu + exp(0.5 logvar) eps.
//   loss = mean over the batch of [ sum_pixels BCEWithLogits(logits, x) + KL(N(mu, e^logvar) || N(0, I)) ]
using Latent.Nn;
using Latent.Nn.Layers;
using Latent.Nn.Losses;
using Latent.Tensors;

namespace Latent.Replicas;

public sealed class ConvVae : Module
{
    /// <summary>Builds the network with PyTorch's default init drawn from <paramref name="rng"/>.</summary>
    public ConvVae(Rng rng, int latent = 20)
    {
        ArgumentNullException.ThrowIfNull(rng);
        Latent = latent;
        Encoder = RegisterModule("enc", new Sequential(
            new Conv2d(1, 32, 3, rng, 1, 1), new Relu(), new Conv2d(32, 32, 3, rng, 2, 1), new Relu(),
            new Conv2d(32, 64, 3, rng, 1, 1), new Relu(), new Conv2d(64, 64, 3, rng, 2, 1), new Relu(),
            new Flatten(), new Linear(3136, 2 * latent, rng)));
        Decoder = RegisterModule("dec", new Sequential(
            new Linear(latent, 3136, rng), new Relu(), new Unflatten(64, 7, 7),
            new ConvTranspose2d(64, 64, 3, rng, 1, 1), new Relu(),
            new ConvTranspose2d(64, 64, 3, rng, 2, 1, 1), new Relu(),
            new ConvTranspose2d(64, 32, 3, rng, 1, 1), new Relu(),
            new ConvTranspose2d(32, 32, 3, rng, 2, 1, 1), new Relu(),
            new ConvTranspose2d(32, 1, 3, rng, 1, 1)));
    }

    /// <summary>Z, the code size.</summary>
    public int Latent { get; }
    public Sequential Encoder { get; }
    public Sequential Decoder { get; }

    /// <summary>(N, 1, 28, 28) -> mu (N, Z), logVar (N, Z).</summary>
    public (Tensor Mu, Tensor LogVar) Encode(Tensor x)
    {
        Tensor h = Encoder.Forward(x);                                  // (N, 2Z)
        return (h.Slice(1, 0, Latent), h.Slice(1, Latent, Latent));
    }

    /// <summary>z = mu + exp(0.5 logVar) eps, eps (N, Z) given.</summary>
    public static Tensor Reparameterize(Tensor mu, Tensor logVar, Tensor eps) => mu + (logVar * 0.5f).Exp() * eps;

    /// <summary>(N, Z) -> (N, 1, 28, 28) logits.</summary>
    public Tensor Decode(Tensor z) => Decoder.Forward(z);

    /// <summary>The negative ELBO averaged over the batch, with noise eps (N, Z).</summary>
    public Tensor Loss(Tensor x, Tensor eps)
    {
        (Tensor mu, Tensor logVar) = Encode(x);
        Tensor logits = Decode(Reparameterize(mu, logVar, eps));
        return Nn.Losses.Loss.BceWithLogits(logits, x, Reduction.BatchMean) + Nn.Losses.Loss.GaussianKl(mu, logVar, Reduction.BatchMean);
    }

    /// <summary>Reconstruction logits of the mean code.</summary>
    public override Tensor Forward(Tensor input) => Decode(Encode(input).Mu);
}

// What the two VAE replicas of ../shared/peers/vae_torch.py share (Kingma & Welling 2014): the encoder's output split
// into mu = [:, :Z] and logvar = [:, Z:], z = mu + exp(0.5 logvar) eps, the decoder's Bernoulli logits, and
//   loss = mean over the batch of [ sum_pixels BCEWithLogits(decode(z), x) + KL(N(mu, e^logvar) || N(0, I)) ].
// The networks are the replicas' own (ConvVae, DenseVae), registered under the peer's names.
using Latent.Nn;
using Latent.Nn.Layers;
using Latent.Nn.Losses;
using Latent.Tensors;

namespace Latent.Replicas;

/// <summary>The VAE objective of vae_torch.py on a replica's encoder and decoder.</summary>
public abstract class VaeReplica : Module
{
    /// <summary>Registers <paramref name="encoder"/> and then <paramref name="decoder"/> under the given names.</summary>
    protected VaeReplica(int latent, string encoderName, Sequential encoder, string decoderName, Sequential decoder)
    {
        Latent = latent;
        Encoder = RegisterModule(encoderName, encoder);
        Decoder = RegisterModule(decoderName, decoder);
    }

    /// <summary>Z, the code size.</summary>
    public int Latent { get; }
    public Sequential Encoder { get; }
    public Sequential Decoder { get; }

    /// <summary>x -> mu (N, Z), logVar (N, Z).</summary>
    public (Tensor Mu, Tensor LogVar) Encode(Tensor x)
    {
        Tensor h = Encoder.Forward(x);                                  // (N, 2Z)
        return (h.Slice(1, 0, Latent), h.Slice(1, Latent, Latent));
    }

    /// <summary>z = mu + exp(0.5 logVar) eps, eps (N, Z) given.</summary>
    public static Tensor Reparameterize(Tensor mu, Tensor logVar, Tensor eps) => mu + (logVar * 0.5f).Exp() * eps;

    /// <summary>(N, Z) -> logits of the image's shape.</summary>
    public Tensor Decode(Tensor z) => Decoder.Forward(z);

    /// <summary>The negative ELBO averaged over the batch, with noise eps (N, Z) given.</summary>
    public Tensor Loss(Tensor x, Tensor eps)
    {
        (Tensor mu, Tensor logVar) = Encode(x);
        Tensor logits = Decode(Reparameterize(mu, logVar, eps));
        return Nn.Losses.Loss.BceWithLogits(logits, x, Reduction.BatchMean) + Nn.Losses.Loss.GaussianKl(mu, logVar, Reduction.BatchMean);
    }

    /// <summary>Reconstruction logits of the mean code.</summary>
    public override Tensor Forward(Tensor input) => Decode(Encode(input).Mu);
}

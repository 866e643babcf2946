// DenseVAE of ../shared/peers/vae_torch.py (params 1,082,680; Kingma & Welling 2014):
//   encoder 784-512 ReLU-256 ReLU-Linear(256, 40) -> mu = [:, :20], logvar = [:, 20:]
//   decoder 20-256 ReLU-512 ReLU-784 logits
//   z = mu + exp(0.5 logvar) eps, eps ~ N(0, I)
//   loss = mean over the batch of [ sum_pixels BCEWithLogits(decode(z), x) + KL(N(mu, e^logvar) || N(0, I)) ]
using Latent.Nn;
using Latent.Nn.Layers;
using Latent.Nn.Losses;
using Latent.Tensors;

namespace Latent.Replicas;

public sealed class DenseVae : Module
{
    private readonly Rng rng;

    public DenseVae(Rng rng, int latent = 20)
    {
        this.rng = rng;
        Latent = latent;
        Encoder = RegisterModule("encoder", new Sequential(
            new Linear(784, 512, rng), new Relu(), new Linear(512, 256, rng), new Relu(), new Linear(256, 2 * latent, rng)));
        Decoder = RegisterModule("decoder", new Sequential(
            new Linear(latent, 256, rng), new Relu(), new Linear(256, 512, rng), new Relu(), new Linear(512, 784, rng)));
    }

    public int Latent { get; }
    public Sequential Encoder { get; }
    public Sequential Decoder { get; }

    /// <summary>(N, 784) -> mu (N, Z), logVar (N, Z).</summary>
    public (Tensor Mu, Tensor LogVar) Encode(Tensor x)
    {
        Tensor h = Encoder.Forward(x);                                  // (N, 2Z)
        return (h.Slice(1, 0, Latent), h.Slice(1, Latent, Latent));
    }

    /// <summary>z = mu + exp(0.5 logVar) eps.</summary>
    public Tensor Reparameterize(Tensor mu, Tensor logVar) => mu + (logVar * 0.5f).Exp() * rng.NormalTensor(mu.ShapeArray());

    /// <summary>(N, Z) -> (N, 784) logits.</summary>
    public Tensor Decode(Tensor z) => Decoder.Forward(z);

    /// <summary>The negative ELBO averaged over the batch, the noise drawn from the replica's own generator.</summary>
    public Tensor Loss(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        return Loss(x, rng.NormalTensor(x.Rows, Latent));
    }

    /// <summary>The negative ELBO averaged over the batch, with noise eps (N, Z) given.</summary>
    public Tensor Loss(Tensor x, Tensor eps)
    {
        (Tensor mu, Tensor logVar) = Encode(x);
        Tensor logits = Decode(mu + (logVar * 0.5f).Exp() * eps);
        return Nn.Losses.Loss.BceWithLogits(logits, x, Reduction.BatchMean) + Nn.Losses.Loss.GaussianKl(mu, logVar, Reduction.BatchMean);
    }

    /// <summary>Reconstruction logits of the mean code.</summary>
    public override Tensor Forward(Tensor input) => Decode(Encode(input).Mu);
}

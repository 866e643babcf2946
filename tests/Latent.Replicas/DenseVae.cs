// DenseVAE of ../shared/peers/vae_torch.py (params 1,082,680; Kingma & Welling 2014):
//   encoder 784-512 ReLU-256 ReLU-Linear(256, 40) -> mu = [:, :20], logvar = [:, 20:]
//   decoder 20-256 ReLU-512 ReLU-784 logits
//   z = mu + exp(0.5 logvar) eps, eps ~ N(0, I)
//   loss: VaeReplica's (the negative ELBO)
using Latent.Nn.Layers;
using Latent.Tensors;

namespace Latent.Replicas;

public sealed class DenseVae : VaeReplica
{
    private readonly Rng rng;

    public DenseVae(Rng rng, int latent = 20)
        : base(latent,
            "encoder", new Sequential(
                new Linear(784, 512, rng), new Relu(), new Linear(512, 256, rng), new Relu(), new Linear(256, 2 * latent, rng)),
            "decoder", new Sequential(
                new Linear(latent, 256, rng), new Relu(), new Linear(256, 512, rng), new Relu(), new Linear(512, 784, rng)))
    {
        this.rng = rng;
    }

    /// <summary>z = mu + exp(0.5 logVar) eps.</summary>
    public Tensor Reparameterize(Tensor mu, Tensor logVar) => mu + (logVar * 0.5f).Exp() * rng.NormalTensor(mu.ShapeArray());

    /// <summary>The negative ELBO averaged over the batch, the noise drawn from the replica's own generator.</summary>
    public Tensor Loss(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        return Loss(x, rng.NormalTensor(x.Rows, Latent));
    }
}

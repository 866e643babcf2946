// DenseAE of ../shared/peers/ae_torch.py, layer for layer (params 1,077,540):
//   encoder Linear(784,512) ReLU, Linear(512,256) ReLU, Linear(256,20)          code (N, 20), no activation
//   decoder Linear(20,256) ReLU, Linear(256,512) ReLU, Linear(512,784)          logits (N, 784)
// PyTorch default init. Loss (in TrainBench): mean over the batch of sum over pixels of BCE with logits.
using Latent.Nn;
using Latent.Nn.Layers;
using Latent.Tensors;

namespace Latent.Replicas;

public sealed class DenseAutoencoder : Module
{
    public DenseAutoencoder(Rng rng, int latent = 20)
    {
        Encoder = RegisterModule("encoder", new Sequential(
            new Linear(784, 512, rng), new Relu(), new Linear(512, 256, rng), new Relu(), new Linear(256, latent, rng)));
        Decoder = RegisterModule("decoder", new Sequential(
            new Linear(latent, 256, rng), new Relu(), new Linear(256, 512, rng), new Relu(), new Linear(512, 784, rng)));
    }

    public Sequential Encoder { get; }
    public Sequential Decoder { get; }

    /// <summary>(N, 784) pixels -> (N, 784) logits.</summary>
    public override Tensor Forward(Tensor input) => Decoder.Forward(Encoder.Forward(input));
}

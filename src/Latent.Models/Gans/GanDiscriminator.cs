// The DCGAN discriminator (../shared/peers/ae_torch.py's D by default): the convolutional trunk (ImageTrunk) and a
// Linear(F, 1) head giving a logit (or, with the hinge loss, a critic value). Features are the trunk's output, D's last
// hidden layer (AnoGAN's feature matching, InfoGAN's Q network).
using Latent.Nn;
using Latent.Nn.Layers;
using Latent.Tensors;

namespace Latent.Models.Gans;

/// <summary>The DCGAN discriminator (../shared/peers/ae_torch.py's D by default): the convolutional trunk (ImageTrunk) and a Linear(F, 1) head giving a logit (or, with the hinge loss, a critic value).</summary>
public sealed class GanDiscriminator : Module
{
    public GanDiscriminator(GanOptions options, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(rng);
        Trunk = RegisterModule("trunk", new ImageTrunk(options, options.SpectralNorm, rng));
        var head = new Linear(Trunk.Features, 1, rng);
        Head = RegisterModule("head", options.SpectralNorm ? new SpectralNorm(head, rng) : (Module)head);
    }

    public ImageTrunk Trunk { get; }
    public Module Head { get; }

    /// <summary>(N, C, H, W) in [-1, 1] -> (N, F) hidden features.</summary>
    public Tensor Features(Tensor x) => Trunk.Forward(x);

    /// <summary>(N, C, H, W) in [-1, 1] -> (N, 1) logits.</summary>
    public override Tensor Forward(Tensor input) => Head.Forward(Trunk.Forward(input));
}

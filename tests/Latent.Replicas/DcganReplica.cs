// The DCGAN of ../shared/peers/ae_torch.py as one module: G (DcganGenerator, "g.*") and D (DcganDiscriminator, "d.*"),
// with PyTorch's initial weights (TorchRandom after torch.manual_seed(0), G drawn before D as the peer's
// `g, d = G(), D()`), so ReplicaWeights can copy both into the product's GanModel in one call.
using Latent.Nn;
using Latent.Tensors;

namespace Latent.Replicas;

public sealed class DcganReplica : Module
{
    public DcganReplica(Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        G = RegisterModule("g", new DcganGenerator(rng));
        D = RegisterModule("d", new DcganDiscriminator(rng));
    }

    public DcganGenerator G { get; }
    public DcganDiscriminator D { get; }

    /// <summary>The peer's initial weights: torch.manual_seed(0); g, d = G(), D().</summary>
    public static DcganReplica WithPeerWeights()
    {
        var r = new DcganReplica(new Rng(0));
        var torch = new TorchRandom(0);
        torch.ApplyDefaultInit(r.G);
        torch.ApplyDefaultInit(r.D);
        return r;
    }

    public override Tensor Forward(Tensor input) =>
        throw new NotSupportedException("the DCGAN pair has two networks: call G.Forward(z) or D.Forward(x).");
}

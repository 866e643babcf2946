// Nearest-neighbour upsampling by an integer factor (torch.nn.Upsample(scale_factor=r, mode="nearest")):
// (N, C, H, W) -> (N, C, H r, W r). Other modes (bilinear) are left out.
using Latent.Tensors;
using Latent.Tensors.Ops;

namespace Latent.Nn.Layers;

/// <summary>Nearest-neighbour upsampling by an integer factor (torch.nn.Upsample(scale_factor=r, mode="nearest")): (N, C, H, W) -&gt; (N, C, H r, W r).</summary>
public sealed class Upsample(int scaleFactor) : Module
{
    public int ScaleFactor { get; } = scaleFactor;

    public override Tensor Forward(Tensor input) => PoolOps.UpsampleNearest(input, ScaleFactor);
}

// PixelCNN's residual block (van den Oord et al. 2016, Fig. 5): 2h maps in and out, h inside,
//   y = x + conv1x1_B(relu(conv3x3_B(relu(conv1x1_B(relu(x))))))
// every convolution masked type B, so the block never lets a pixel see a later one. The ReLUs after the block's
// convolutions work in place (issue 20): one activation per layer is kept for backward, as in PyTorch.
using Latent.Nn;
using Latent.Nn.Layers;
using Latent.Tensors;

namespace Latent.Models.Autoregressive;

/// <summary>PixelCNN's residual block (van den Oord et al. 2016, Fig. 5).</summary>
public sealed class PixelCnnBlock : Module
{
    public PixelCnnBlock(int maps, int groups, Rng rng)
    {
        int h = maps / 2;
        Reduce = RegisterModule("reduce", new MaskedConv2d(maps, h, 1, MaskType.B, rng, groups));
        Spatial = RegisterModule("conv", new MaskedConv2d(h, h, 3, MaskType.B, rng, groups));
        Expand = RegisterModule("expand", new MaskedConv2d(h, maps, 1, MaskType.B, rng, groups));
    }

    public MaskedConv2d Reduce { get; }
    public MaskedConv2d Spatial { get; }
    public MaskedConv2d Expand { get; }

    /// <summary>(N, 2h, H, W) -> (N, 2h, H, W).</summary>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        Tensor h = Reduce.Forward(input.Relu());              // (N, h, H, W)
        h = Spatial.Forward(h.ReluInPlace());                 // (N, h, H, W); in place: only the ReLU reads a conv's output
        return input + Expand.Forward(h.ReluInPlace());       // (N, 2h, H, W)
    }
}

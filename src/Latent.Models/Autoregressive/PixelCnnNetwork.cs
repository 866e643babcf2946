// The PixelCNN network (van den Oord et al. 2016, sec. 3.4, Table 4): x (N, C, H, W) -> logits (N, C L, H, W),
//   trunk:  7 x 7 conv mask A (C -> 2h), then residual blocks (PixelCnnBlock)
//   head:   relu, 1 x 1 conv mask B (2h -> O), relu, 1 x 1 conv mask B (O -> C L)
// Logits of image channel c are channels [c L, (c + 1) L): the c-th colour group of the last layer. The input is
// centred, 2 x - 1. The logits at (i, j) depend only on pixels before (i, j) in raster order (and, with colour groups,
// on the earlier channels of (i, j)), and only on rows i - Reach .. i: sampling runs the trunk on that window.
using Latent.Nn;
using Latent.Nn.Layers;
using Latent.Tensors;

namespace Latent.Models.Autoregressive;

/// <summary>The PixelCNN network (van den Oord et al. 2016, sec. 3.4, Table 4).</summary>
public sealed class PixelCnnNetwork : Module
{
    public PixelCnnNetwork(PixelCnnOptions options, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(options);
        int c = options.Channels;
        Input = RegisterModule("input", new MaskedConv2d(c, options.Hidden, options.InputKernel, MaskType.A, rng, c));
        Blocks = RegisterModule("blocks", new Sequential(Array.Empty<Module>()));
        for (int b = 0; b < options.Blocks; b++)
            Blocks.Append(b.ToString(System.Globalization.CultureInfo.InvariantCulture), new PixelCnnBlock(options.Hidden, c, rng));
        Head1 = RegisterModule("head1", new MaskedConv2d(options.Hidden, options.OutputHidden, 1, MaskType.B, rng, c));
        Head2 = RegisterModule("head2", new MaskedConv2d(options.OutputHidden, c * options.Levels, 1, MaskType.B, rng, c));
        Reach = options.Reach;
    }

    public MaskedConv2d Input { get; }
    public Sequential Blocks { get; }
    public MaskedConv2d Head1 { get; }
    public MaskedConv2d Head2 { get; }

    /// <summary>Rows above a pixel that its logits see: the first kernel's half plus one per block.</summary>
    public int Reach { get; }

    /// <summary>Images (N, C, H, W) in [0, 1] -> features (N, 2h, H, W).</summary>
    public Tensor Trunk(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        return Blocks.Forward(Input.Forward(x * 2f - 1f));
    }

    /// <summary>Features (N, 2h, h', w') -> logits (N, C L, h', w').</summary>
    public Tensor Head(Tensor features)
    {
        ArgumentNullException.ThrowIfNull(features);
        return Head2.Forward(Head1.Forward(features.Relu()).ReluInPlace());   // in place over Head1's output
    }

    /// <summary>(N, C, H, W) -> (N, C L, H, W).</summary>
    public override Tensor Forward(Tensor input) => Head(Trunk(input));
}

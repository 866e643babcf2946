// The two masks of PixelCNN's convolutions (van den Oord et al. 2016, "Pixel Recurrent Neural Networks", sec. 3.4).
namespace Latent.Nn.Layers;

/// <summary>The two masks of PixelCNN's convolutions (van den Oord et al. 2016, "Pixel Recurrent Neural Networks", sec. 3.4).</summary>
public enum MaskType
{
    /// <summary>The first layer: a pixel's features never see the pixel itself (nor, for colour groups, its own or later channels).</summary>
    A,

    /// <summary>Every later layer: a feature may see the same position's features of its own and earlier channel groups.</summary>
    B,
}

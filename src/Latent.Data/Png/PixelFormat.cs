// Pixel layouts of a decoded or to-be-encoded image: 8 bits per sample, interleaved, row-major (H, W, C).
namespace Latent.Data.Png;

/// <summary>The channel layout of an 8-bit image; the numeric value is the channel count C.</summary>
public enum PixelFormat
{
    Gray8 = 1,
    GrayAlpha8 = 2,
    Rgb8 = 3,
    Rgba8 = 4,
}

// What an image file's header says, read before its pixels are decoded: its size, whether it has colour, and its
// format ("png", "jpeg", ...).
namespace Latent.Data.Images;

/// <summary>An image's <see cref="Width"/> x <see cref="Height"/>, whether it holds <see cref="Colour"/> (false for
/// gray types), and its <see cref="Format"/> name in lower case.</summary>
public sealed record ImageFileInfo(int Width, int Height, bool Colour, string Format)
{
    /// <summary>Width x height, as a 64-bit number.</summary>
    public long Pixels => (long)Width * Height;
}

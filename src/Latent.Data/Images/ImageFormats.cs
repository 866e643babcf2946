// The image file formats Latent reads, by extension (any case): PNG by the project's own decoder (Png/PngDecoder),
// JPEG, BMP, GIF, TIFF and WebP by SixLabors.ImageSharp 2.1 (fully managed). Files are chosen by extension and then
// decoded by what their bytes say, so a PNG named .jpg still reads; a file whose bytes are no known format is a
// corrupt image. Portable anymaps (.pgm, .ppm, .pnm) are recognised to name them in an error, not read.
namespace Latent.Data.Images;

/// <summary>The image file formats Latent reads, by extension (any case).</summary>
public static class ImageFormats
{
    /// <summary>Extensions of the formats read (lower case, with the dot).</summary>
    public static IReadOnlyList<string> Read { get; } = [".png", ".jpg", ".jpeg", ".bmp", ".gif", ".tif", ".tiff", ".webp"];

    /// <summary>"PNG, JPEG, BMP, GIF, TIFF and WebP", for messages.</summary>
    public const string Names = "PNG, JPEG, BMP, GIF, TIFF and WebP";

    /// <summary>Extensions of image formats recognised (to name them in an error) but not read.</summary>
    public static IReadOnlyList<string> Unread { get; } = [".pgm", ".ppm", ".pnm", ".pbm", ".heic", ".avif", ".jxl"];

    /// <summary>True when <paramref name="path"/> ends with one of <see cref="Read"/> (any case).</summary>
    public static bool IsRead(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string ext = Path.GetExtension(path);
        return Read.Any(e => e.Equals(ext, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>True when <paramref name="path"/> names an image of a format that is recognised but not read.</summary>
    public static bool IsUnread(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string ext = Path.GetExtension(path);
        return Unread.Any(e => e.Equals(ext, StringComparison.OrdinalIgnoreCase));
    }
}

// One image file of a folder read into a caller's buffer, for readers that stream a folder in batches (`latent score`
// over a folder tree) rather than load it whole (ImageFolder.Load): the same decoding (PngDecoder), conversion to
// gray (Rec. 601 luma) or RGB planes, alpha over black, and area-averaging resize (ImageResize.Box) as ImageFolder.
// Hostile files: the file is read only if it is a regular file under PngLimits.MaxFileBytes (RegularFile); its header
// is checked before anything is decoded, so a wrong size is an ImageSizeException and a huge declared size an
// InvalidDataException before any pixel buffer is allocated. Every error names the file.
using Latent.Data.Png;

namespace Latent.Data.Images;

public static class ImageFile
{
    /// <summary>The image at <paramref name="path"/> as <paramref name="channels"/> planes of <paramref name="height"/> x
    /// <paramref name="width"/> levels in [0, 1] in <paramref name="destination"/> (C, H, W). An image of another size is
    /// resized when <paramref name="resize"/> is set, else refused from its header (<see cref="ImageSizeException"/>).</summary>
    public static void Read(string path, int channels, int height, int width, bool resize, Span<float> destination, PngLimits? limits = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (channels is not (1 or 3)) throw new ArgumentException($"channels must be 1 or 3, got {channels}.", nameof(channels));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        if (destination.Length != channels * height * width)
            throw new ArgumentException($"destination holds {destination.Length} values, not {channels} x {height} x {width}.", nameof(destination));
        limits ??= PngLimits.Default;
        byte[] bytes = RegularFile.ReadAllBytes(path, limits.MaxFileBytes);
        PngImage image;
        try
        {
            PngHeader header = PngDecoder.ReadHeader(bytes);
            if (!resize && (header.Height != height || header.Width != width))
                throw new ImageSizeException($"{path} is {header.Width} x {header.Height} pixels, but {width} x {height} are needed; resize it or remove it from the folder.",
                    path, header.Width, header.Height, width, height);
            image = PngDecoder.Decode(bytes, limits);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
        float[] planes = channels == 1 ? image.ToGrayFloats() : image.ToRgbFloats();   // (C, h0, w0)
        if (image.Height == height && image.Width == width) planes.CopyTo(destination);
        else ImageResize.Box(planes, channels, image.Height, image.Width, destination, height, width);
    }
}

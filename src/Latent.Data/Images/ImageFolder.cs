// Reads a folder of PNG files (e.g. MNIST-style 28 x 28 digits written by other tools) as one batch of gray
// images in [0, 1], (N, H, W) row-major, files in ordinal name order. Colour is converted by Rec. 601 luma,
// alpha composited over black (PngImage.ToGrayFloats). Every file must have the size the caller asks for (or,
// without one, the first file's size).
// Hostile folders: only regular files are read (a *.png that is a FIFO, a device, a socket, a directory or a
// symbolic link loop, or that links to one, is refused by path before it is opened), each at most
// PngLimits.MaxFileBytes; every header is read and checked against the size needed before any image is decoded,
// so a 16384 x 16384 file among 28 x 28 ones costs 33 bytes of reading, not 2 GB of decoding.
using Latent.Data.Png;

namespace Latent.Data.Images;

public static class ImageFolder
{
    /// <summary>The *.png entries (any case) directly in <paramref name="directory"/>, in ordinal order; what
    /// each entry is (a regular file or not) is checked when it is read.</summary>
    public static string[] List(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        if (!Directory.Exists(directory))
            throw new DirectoryNotFoundException($"Image folder '{directory}' does not exist.");
        return [.. Directory.EnumerateFiles(directory)
            .Where(f => f.EndsWith(".png", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)];
    }

    /// <summary>Every *.png in <paramref name="directory"/>, each <paramref name="height"/> x <paramref name="width"/>
    /// (checked from the headers before decoding: a mismatch is an <see cref="ImageSizeException"/>).</summary>
    public static ImageFolderImages LoadGray(string directory, int height, int width, PngLimits? limits = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        return Load(directory, (height, width), limits);
    }

    /// <summary>Every *.png in <paramref name="directory"/>, all of the first file's size.</summary>
    public static ImageFolderImages LoadGray(string directory, PngLimits? limits = null) => Load(directory, null, limits);

    private static ImageFolderImages Load(string directory, (int H, int W)? expected, PngLimits? limits)
    {
        limits ??= PngLimits.Default;
        string[] files = List(directory);
        if (files.Length == 0)
            throw new InvalidDataException($"Image folder '{directory}' holds no .png files; put the images directly in it.");

        // Every header first (33 bytes a file): refuse the wrong sizes before decoding anything.
        string? first = expected is null ? files[0] : null;  // the size comes from the first file, or from the caller
        (int h, int w) = expected ?? Size(PngDecoder.ReadHeader(files[0], limits));
        foreach (string file in files)
        {
            PngHeader header = PngDecoder.ReadHeader(file, limits);
            CheckSize(file, header.Width, header.Height, h, w, first);
        }
        if ((long)files.Length * h * w > Array.MaxLength)
            throw new InvalidDataException(
                $"Image folder '{directory}': {files.Length} images of {w} x {h} are too many to load at once; split the folder.");

        var pixels = new float[files.Length * h * w];          // (N, H, W)
        for (int i = 0; i < files.Length; i++)
        {
            PngImage img = PngDecoder.Load(files[i], limits);
            CheckSize(files[i], img.Width, img.Height, h, w, first);      // in case it changed since its header was read
            img.ToGrayFloats().CopyTo(pixels.AsSpan(i * h * w));
        }
        return new ImageFolderImages(pixels, files.Length, h, w, files);
    }

    private static (int H, int W) Size(PngHeader header) => (header.Height, header.Width);

    private static void CheckSize(string file, int width, int height, int h, int w, string? first)
    {
        if (height == h && width == w) return;
        string message = first is null
            ? $"{file} is {width} x {height} pixels, but {w} x {h} are needed; resize it or remove it from the folder."
            : $"{file} is {width} x {height} pixels but {Path.GetFileName(first)} is {w} x {h}; all images in a folder must have the same size.";
        throw new ImageSizeException(message, file, width, height, w, h);
    }
}

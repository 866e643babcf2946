// Reads a folder of PNG files (e.g. MNIST-style 28 x 28 digits written by other tools) as one batch of gray
// images in [0, 1], (N, H, W) row-major, files in ordinal name order. Colour is converted by Rec. 601 luma,
// alpha composited over black (PngImage.ToGrayFloats). Every file must have the same size.
namespace Latent.Reporting.Png;

public sealed record PngFolderImages(float[] Pixels, int Count, int Height, int Width, IReadOnlyList<string> Files);

public static class PngFolder
{
    /// <summary>All *.png files directly in <paramref name="directory"/>; errors name the folder or the file.</summary>
    public static PngFolderImages LoadGray(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        if (!Directory.Exists(directory))
            throw new DirectoryNotFoundException($"Image folder '{directory}' does not exist.");
        string[] files = Directory.EnumerateFiles(directory)
            .Where(f => f.EndsWith(".png", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)
            .ToArray();
        if (files.Length == 0)
            throw new InvalidDataException($"Image folder '{directory}' holds no .png files.");
        float[]? pixels = null;
        int h = 0, w = 0;
        for (int i = 0; i < files.Length; i++)
        {
            PngImage img = PngDecoder.Load(files[i]);
            if (pixels is null)
            {
                (h, w) = (img.Height, img.Width);
                if ((long)files.Length * h * w > int.MaxValue)
                    throw new InvalidDataException($"Image folder '{directory}': {files.Length} images of {h} x {w} are too many to load at once.");
                pixels = new float[files.Length * h * w];
            }
            else if (img.Height != h || img.Width != w)
            {
                throw new InvalidDataException(
                    $"{files[i]} is {img.Width} x {img.Height} pixels but {Path.GetFileName(files[0])} is {w} x {h}; all images in a folder must have the same size.");
            }
            img.ToGrayFloats().CopyTo(pixels.AsSpan(i * h * w));
        }
        return new PngFolderImages(pixels!, files.Length, h, w, files);
    }
}

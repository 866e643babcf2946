// Reads a folder of PNG files (a user's own images, or MNIST-style digits written by other tools) as one batch of
// images in [0, 1], (N, C, H, W) row-major, files in ordinal name order. C is 1 (gray: colour by Rec. 601 luma,
// PngImage.ToGrayFloats) or 3 (RGB: gray replicated, PngImage.ToRgbFloats), alpha composited over black; by default
// 3 when any file has colour. Every file must have the size the caller asks for (or, without one, the first file's
// size), unless the caller asks for resizing: then other sizes are resized by area averaging (ImageResize.Box).
// Only PNG is read: a folder of JPEG (or other) images is refused naming the formats found and the one read, and so
// are PNGs mixed with other image files (they would silently be left out).
// Hostile folders: only regular files are read (a *.png that is a FIFO, a device, a socket, a directory or a
// symbolic link loop, or that links to one, is refused by path before it is opened), each at most
// PngLimits.MaxFileBytes; every header is read and checked against the size needed before any image is decoded,
// so a 16384 x 16384 file among 28 x 28 ones costs 33 bytes of reading, not 2 GB of decoding.
using Latent.Data.Png;

namespace Latent.Data.Images;

/// <summary>Reads a folder of PNG files (a user's own images, or MNIST-style digits written by other tools) as one batch of images in [0, 1], (N, C, H, W) row-major, files in ordinal name order.</summary>
public static class ImageFolder
{
    /// <summary>The image formats read, as file extensions.</summary>
    public const string ReadFormats = ".png";

    /// <summary>Extensions of image formats that are recognised (to name them in an error) but not read.</summary>
    private static readonly string[] OtherImageExtensions = [".jpg", ".jpeg", ".bmp", ".gif", ".tif", ".tiff", ".webp", ".pgm", ".ppm", ".pnm"];

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

    /// <summary>Image files in <paramref name="directory"/> of formats that are not read, counted by extension
    /// (lower case), e.g. {".jpg": 12}.</summary>
    public static IReadOnlyDictionary<string, int> UnreadImages(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        return Directory.EnumerateFiles(directory)
            .Select(f => Path.GetExtension(f).ToLowerInvariant())
            .Where(e => OtherImageExtensions.Contains(e))
            .GroupBy(e => e).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count());
    }

    /// <summary>Every *.png in <paramref name="directory"/>, gray, each <paramref name="height"/> x <paramref name="width"/>
    /// (checked from the headers before decoding: a mismatch is an <see cref="ImageSizeException"/>).</summary>
    public static ImageFolderImages LoadGray(string directory, int height, int width, PngLimits? limits = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        return Load(directory, new ImageFolderOptions { Size = (height, width), Channels = 1, Limits = limits });
    }

    /// <summary>Every *.png in <paramref name="directory"/>, gray, all of the first file's size.</summary>
    public static ImageFolderImages LoadGray(string directory, PngLimits? limits = null) =>
        Load(directory, new ImageFolderOptions { Channels = 1, Limits = limits });

    /// <summary>1 if every *.png in <paramref name="directory"/> is gray (with or without alpha), 3 if any has colour
    /// (RGB, palette); read from the headers only.</summary>
    public static int Channels(string directory, PngLimits? limits = null) =>
        Files(directory).Any(f => IsColour(PngDecoder.ReadHeader(f, limits ?? PngLimits.Default))) ? 3 : 1;

    /// <summary>Every *.png in <paramref name="directory"/> as <paramref name="options"/> say.</summary>
    public static ImageFolderImages Load(string directory, ImageFolderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var limits = options.Limits ?? PngLimits.Default;
        if (options.Resize && options.Size is null) throw new ArgumentException("resizing needs a size to resize to.", nameof(options));
        if (options.Channels is not (null or 1 or 3)) throw new ArgumentException($"channels must be 1 or 3, got {options.Channels}.", nameof(options));
        if (options.Size is { } sz && (sz.Height < 1 || sz.Width < 1)) throw new ArgumentException($"image size must be positive, got {sz.Width} x {sz.Height}.", nameof(options));
        string[] files = Files(directory);

        // Every header first (33 bytes a file): refuse the wrong sizes before decoding anything.
        string? first = options.Size is null ? files[0] : null;  // the size comes from the first file, or from the caller
        (int h, int w) = options.Size ?? Size(PngDecoder.ReadHeader(files[0], limits));
        bool colour = false;
        foreach (string file in files)
        {
            PngHeader header = PngDecoder.ReadHeader(file, limits);
            if (!options.Resize) CheckSize(file, header.Width, header.Height, h, w, first);
            colour |= IsColour(header);
        }
        int c = options.Channels ?? (colour ? 3 : 1);
        if ((long)files.Length * c * h * w > Array.MaxLength)
            throw new InvalidDataException(
                $"Image folder '{directory}': {files.Length} images of {w} x {h} are too many to load at once; split the folder.");

        var pixels = new float[files.Length * c * h * w];          // (N, C, H, W)
        for (int i = 0; i < files.Length; i++)
        {
            PngImage img = PngDecoder.Load(files[i], limits);
            float[] planes = c == 1 ? img.ToGrayFloats() : img.ToRgbFloats();   // (C, h0, w0)
            Span<float> dst = pixels.AsSpan(i * c * h * w, c * h * w);
            if (img.Height == h && img.Width == w) planes.CopyTo(dst);
            else if (options.Resize) ImageResize.Box(planes, c, img.Height, img.Width, dst, h, w);
            else CheckSize(files[i], img.Width, img.Height, h, w, first);      // it changed since its header was read
        }
        return new ImageFolderImages(pixels, files.Length, h, w, files) { Channels = c };
    }

    /// <summary>The PNG files of a folder that holds some and no images of other formats; else a message saying what
    /// the folder holds and what is read.</summary>
    private static string[] Files(string directory)
    {
        string[] files = List(directory);
        var unread = UnreadImages(directory);
        string found = string.Join(", ", unread.Select(kv => $"{kv.Value} {kv.Key}"));
        if (files.Length == 0 && unread.Count > 0)
            throw new InvalidDataException($"Image folder '{directory}' holds {found} files but no .png; Latent reads PNG images ({ReadFormats}, gray or colour): convert them first, e.g. with ImageMagick: mogrify -format png *{unread.Keys.First()}");
        if (unread.Count > 0)
            throw new InvalidDataException($"Image folder '{directory}' holds {files.Length} .png files and also {found} files, which are not read (only {ReadFormats}); convert them to PNG or move them out.");
        if (files.Length == 0)
        {
            string[] subfolders = [.. Directory.EnumerateDirectories(directory).Select(Path.GetFileName).Order(StringComparer.Ordinal).Take(4)!];
            throw new InvalidDataException(subfolders.Length > 0
                ? $"Image folder '{directory}' holds no .png files, only folders ({string.Join(", ", subfolders)}); give the folder that holds the images, e.g. {Path.Combine(directory, subfolders[0])}."
                : $"Image folder '{directory}' holds no .png files; put the images directly in it.");
        }
        return files;
    }

    private static bool IsColour(PngHeader header) => header.ColorType is 2 or 3 or 6;

    private static (int H, int W) Size(PngHeader header) => (header.Height, header.Width);

    private static void CheckSize(string file, int width, int height, int h, int w, string? first)
    {
        if (height == h && width == w) return;
        string message = first is null
            ? $"{file} is {width} x {height} pixels, but {w} x {h} are needed; resize it or remove it from the folder."
            : $"{file} is {width} x {height} pixels but {Path.GetFileName(first)} is {w} x {h}; all images in a folder must have the same size.";
        throw new ImageSizeException(message, file, width, height, w, h) { First = first };
    }
}

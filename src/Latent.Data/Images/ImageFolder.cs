// Reads a folder of images (a user's own pictures, or MNIST-style digits written by other tools) as one batch of
// images in [0, 1], (N, C, H, W) row-major, files in ordinal name order. Formats: PNG, JPEG, BMP, GIF, TIFF and WebP
// (ImageFormats; ImageFile decodes them). C is 1 (gray: colour by Rec. 601 luma, PngImage.ToGrayFloats) or 3 (RGB:
// gray replicated, PngImage.ToRgbFloats), alpha composited over black; by default 3 when any file has colour. Every
// file must have the size the caller asks for (or, without one, the first file's size), unless the caller asks for
// resizing: then other sizes are resized (ImageResize.Fit: stretched, centre-cropped or padded, by area averaging).
// Image files of formats not read (.pgm, .heic, ...) are refused naming what was found, also beside readable ones
// (they would silently be left out).
// Hostile folders: only regular files are read (an image that is a FIFO, a device, a socket, a directory or a
// symbolic link loop, or that links to one, is refused by path before it is opened), each at most
// PngLimits.MaxFileBytes; every header is read and checked against the size needed and the limits before any image
// is decoded, so a 16384 x 16384 file among 28 x 28 ones costs a header read, not 2 GB of decoding. With
// SkipUnreadable, a file that cannot be read (those above, or corrupt, truncated) is left out and listed in
// Skipped with its reason, and the load goes on; a size mismatch still stops it (the caller asks to resize).
using Latent.Data.Png;

namespace Latent.Data.Images;

/// <summary>Reads a folder of PNG files (a user's own images, or MNIST-style digits written by other tools) as one batch of images in [0, 1], (N, C, H, W) row-major, files in ordinal name order.</summary>
public static class ImageFolder
{
    /// <summary>The image formats read, as file extensions.</summary>
    public static string ReadFormats => string.Join(", ", ImageFormats.Read);

    /// <summary>The image files (formats read, any case) directly in <paramref name="directory"/>, in ordinal order;
    /// what each entry is (a regular file or not) is checked when it is read.</summary>
    public static string[] List(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        if (!Directory.Exists(directory))
            throw new DirectoryNotFoundException($"Image folder '{directory}' does not exist.");
        return [.. Directory.EnumerateFiles(directory).Where(ImageFormats.IsRead).Order(StringComparer.Ordinal)];
    }

    /// <summary>Image files in <paramref name="directory"/> of formats that are not read, counted by extension
    /// (lower case), e.g. {".pgm": 12}.</summary>
    public static IReadOnlyDictionary<string, int> UnreadImages(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        return Directory.EnumerateFiles(directory).Where(ImageFormats.IsUnread)
            .Select(f => Path.GetExtension(f).ToLowerInvariant())
            .GroupBy(e => e).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count());
    }

    /// <summary>Every image in <paramref name="directory"/>, gray, each <paramref name="height"/> x <paramref name="width"/>
    /// (checked from the headers before decoding: a mismatch is an <see cref="ImageSizeException"/>).</summary>
    public static ImageFolderImages LoadGray(string directory, int height, int width, PngLimits? limits = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        return Load(directory, new ImageFolderOptions { Size = (height, width), Channels = 1, Limits = limits });
    }

    /// <summary>Every image in <paramref name="directory"/>, gray, all of the first file's size.</summary>
    public static ImageFolderImages LoadGray(string directory, PngLimits? limits = null) =>
        Load(directory, new ImageFolderOptions { Channels = 1, Limits = limits });

    /// <summary>1 if every image in <paramref name="directory"/> is gray (with or without alpha), 3 if any has colour;
    /// read from the headers only.</summary>
    public static int Channels(string directory, PngLimits? limits = null) =>
        Files(directory).Any(f => ImageFile.Identify(f, limits).Colour) ? 3 : 1;

    /// <summary>Every image in <paramref name="directory"/> as <paramref name="options"/> say.</summary>
    public static ImageFolderImages Load(string directory, ImageFolderOptions options) => LoadFiles(Files(directory), options, $"Image folder '{directory}'");

    /// <summary>The images <paramref name="files"/> (in that order) as <paramref name="options"/> say;
    /// <paramref name="where"/> names them in messages.</summary>
    public static ImageFolderImages LoadFiles(IReadOnlyList<string> files, ImageFolderOptions options, string where)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(options);
        var limits = options.Limits ?? PngLimits.Default;
        if (options.Resize && options.Size is null) throw new ArgumentException("resizing needs a size to resize to.", nameof(options));
        if (options.Channels is not (null or 1 or 3)) throw new ArgumentException($"channels must be 1 or 3, got {options.Channels}.", nameof(options));
        if (options.Size is { } sz && (sz.Height < 1 || sz.Width < 1)) throw new ArgumentException($"image size must be positive, got {sz.Width} x {sz.Height}.", nameof(options));
        if (files.Count == 0) throw new InvalidDataException($"{where} holds no images.");
        var skipped = new List<SkippedImage>();

        // Every header first: refuse the wrong sizes and the image bombs before decoding anything.
        // (a size over the limits is an unreadable file, skipped or stopping the load; then a wrong size, with its hint)
        var headers = new List<(string File, ImageFileInfo Info)>(files.Count);
        foreach (string file in files)
            if (Try(file, () => ImageFile.Identify(file, limits, checkLimits: false), options, skipped) is { } info) headers.Add((file, info));
        if (headers.Count == 0) throw NoneReadable(where, skipped);
        var sized = headers.FirstOrDefault(x => x.Info.Width <= limits.MaxSide && x.Info.Height <= limits.MaxSide && x.Info.Pixels <= limits.MaxPixels);
        if (sized.File is null) sized = headers[0];
        string? first = options.Size is null ? sized.File : null;  // the size comes from the first file, or from the caller
        (int h, int w) = options.Size ?? (sized.Info.Height, sized.Info.Width);
        var readable = new List<(string File, ImageFileInfo Info)>(headers.Count);
        bool colour = false;
        foreach (var (file, info) in headers)
        {
            if (Try(file, () => { ImageFile.CheckLimits(file, info, limits); return info; }, options, skipped) is null) continue;
            if (!options.Resize) CheckSize(file, info.Width, info.Height, h, w, first);
            readable.Add((file, info));
            colour |= info.Colour;
        }
        if (readable.Count == 0) throw NoneReadable(where, skipped);
        int c = options.Channels ?? (colour ? 3 : 1);
        if ((long)readable.Count * c * h * w > Array.MaxLength)
            throw new InvalidDataException($"{where}: {readable.Count} images of {w} x {h} are too many to load at once; split the folder.");

        int dim = c * h * w;
        var pixels = new float[readable.Count * dim];          // (N, C, H, W)
        var kept = new List<string>(readable.Count);
        foreach (var (file, _) in readable)
        {
            if (Try(file, () => ImageFile.Load(file, limits), options, skipped) is not { } img) continue;
            float[] planes = c == 1 ? img.ToGrayFloats() : img.ToRgbFloats();   // (C, h0, w0)
            Span<float> dst = pixels.AsSpan(kept.Count * dim, dim);
            if (img.Height == h && img.Width == w) planes.CopyTo(dst);
            else if (options.Resize) ImageResize.Fit(planes, c, img.Height, img.Width, dst, h, w, options.Mode);
            else CheckSize(file, img.Width, img.Height, h, w, first);      // it changed since its header was read
            kept.Add(file);
        }
        var order = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < files.Count; i++) order.TryAdd(files[i], i);
        skipped = [.. skipped.OrderBy(s => order[s.Path])];                 // in file order, whichever pass found them
        if (kept.Count == 0) throw NoneReadable(where, skipped);
        if (kept.Count < readable.Count) pixels = pixels[..(kept.Count * dim)];
        return new ImageFolderImages(pixels, kept.Count, h, w, kept) { Channels = c, Skipped = skipped };
    }

    /// <summary>The result of <paramref name="read"/>; with SkipUnreadable, a file's read error (not a size mismatch)
    /// is recorded in <paramref name="skipped"/> and null returned.</summary>
    private static T? Try<T>(string file, Func<T> read, ImageFolderOptions options, List<SkippedImage> skipped) where T : class
    {
        try
        {
            return read();
        }
        catch (Exception e) when (options.SkipUnreadable && e is InvalidDataException or (IOException and not ImageSizeException))
        {
            skipped.Add(new SkippedImage(file, e.Message));
            return null;
        }
        catch (UnauthorizedAccessException e) when (options.SkipUnreadable)
        {
            skipped.Add(new SkippedImage(file, $"{file}: {e.Message}"));
            return null;
        }
    }

    private static InvalidDataException NoneReadable(string where, List<SkippedImage> skipped) =>
        new($"{where}: none of its {skipped.Count} images could be read; the first: {skipped[0].Reason}");

    /// <summary>The image files of a folder that holds some and no images of unread formats; else a message saying what
    /// the folder holds and what is read.</summary>
    private static string[] Files(string directory)
    {
        string[] files = List(directory);
        var unread = UnreadImages(directory);
        string found = string.Join(", ", unread.Select(kv => $"{kv.Value} {kv.Key}"));
        if (files.Length == 0 && unread.Count > 0)
            throw new InvalidDataException($"Image folder '{directory}' holds {found} files but no images Latent reads ({ImageFormats.Names}): convert them first, e.g. with ImageMagick: mogrify -format png *{unread.Keys.First()}");
        if (unread.Count > 0)
            throw new InvalidDataException($"Image folder '{directory}' holds {files.Length} images and also {found} files, which are not read (only {ImageFormats.Names}); convert them to PNG or move them out.");
        if (files.Length == 0)
        {
            string[] subfolders = [.. Directory.EnumerateDirectories(directory).Select(Path.GetFileName).Order(StringComparer.Ordinal).Take(4)!];
            throw new InvalidDataException(subfolders.Length > 0
                ? $"Image folder '{directory}' holds no images, only folders ({string.Join(", ", subfolders)}); give the folder that holds the images, e.g. {Path.Combine(directory, subfolders[0])}, or the folder of class folders as folder:{directory}."
                : $"Image folder '{directory}' holds no images ({ImageFormats.Names}); put the images directly in it.");
        }
        return files;
    }

    private static void CheckSize(string file, int width, int height, int h, int w, string? first)
    {
        if (height == h && width == w) return;
        string message = first is null
            ? $"{file} is {width} x {height} pixels, but {w} x {h} are needed; resize it or remove it from the folder."
            : $"{file} is {width} x {height} pixels but {Path.GetFileName(first)} is {w} x {h}; all images in a folder must have the same size.";
        throw new ImageSizeException(message, file, width, height, w, h) { First = first };
    }
}

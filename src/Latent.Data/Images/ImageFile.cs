// Reading one image file of any format Latent reads (ImageFormats): its header first (Identify: size, colour), then
// its pixels (Load) as an 8-bit image (PngImage: (H, W, C) bytes, C = 1 gray or 4 RGBA). PNG goes through the
// project's own hardened decoder (Png/PngDecoder: measured against ImageSharp in bench/results/2026-12-06-codecs.txt,
// it decodes the committed fixtures identically and the small images of a dataset faster, docs/IMAGE-FORMATS.md);
// JPEG, BMP, GIF, TIFF and WebP go through SixLabors.ImageSharp 2.1 (managed code, Apache-2.0).
// Hostile files: only regular files of at most PngLimits.MaxFileBytes are read (RegularFile: no FIFO, device,
// socket, folder or symbolic-link loop); the declared size is checked against PngLimits (MaxPixels, MaxSide) from
// the header, before any pixel is decoded (an image bomb, a 65535 x 65535 JPEG of 100 bytes, costs a header read);
// ImageSharp's own allocations are bounded too (MemoryAllocator limit), only the first frame of an animated GIF or
// a multi-page TIFF is decoded, and any failure inside ImageSharp becomes an InvalidDataException naming the file.
// Colour (for the automatic channel count) from the header: PNG colour types 2, 3, 6; JPEG unless Luminance; other
// formats 24 or more bits per pixel. EXIF orientation is not applied (as torchvision's ImageFolder with PIL).
// Reference: ImageSharp 2.1 API (Image.Identify, Image.Load<TPixel>, MemoryAllocatorOptions.AllocationLimitMegabytes).
using Latent.Data.Png;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Jpeg;
using PngColorType = SixLabors.ImageSharp.Formats.Png.PngColorType;
using PngConfigurationModule = SixLabors.ImageSharp.Formats.Png.PngConfigurationModule;
using SixLabors.ImageSharp.Formats.Tiff;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.Memory;
using SixLabors.ImageSharp.Metadata;
using SixLabors.ImageSharp.PixelFormats;

namespace Latent.Data.Images;

/// <summary>Reading one image file of any format Latent reads (ImageFormats).</summary>
public static class ImageFile
{
    /// <summary>The PNG signature's first bytes: such files go to the project's own decoder, whatever their name.</summary>
    private static ReadOnlySpan<byte> PngSignature => [0x89, (byte)'P', (byte)'N', (byte)'G'];

    /// <summary>ImageSharp with the five formats it reads here (PNG too, for the codec measurement), first frames only,
    /// at most 1 GB allocated for one image.</summary>
    private static readonly Configuration Sharp = CreateConfiguration();

    private static Configuration CreateConfiguration()
    {
        var c = new Configuration(new PngConfigurationModule(), new JpegConfigurationModule(), new BmpConfigurationModule(),
            new GifConfigurationModule(), new TiffConfigurationModule(), new WebpConfigurationModule())
        {
            MemoryAllocator = MemoryAllocator.Create(new MemoryAllocatorOptions { AllocationLimitMegabytes = 1024 }),
            PreferContiguousImageBuffers = true,
        };
        c.ImageFormatsManager.SetDecoder(GifFormat.Instance, new GifDecoder { DecodingMode = FrameDecodingMode.First });
        c.ImageFormatsManager.SetDecoder(TiffFormat.Instance, new TiffDecoder { DecodingMode = FrameDecodingMode.First });
        return c;
    }

    /// <summary>The header of the image file at <paramref name="path"/> (size, colour, format), read without decoding
    /// its pixels; a size over <paramref name="limits"/> is refused here unless <paramref name="checkLimits"/> is false
    /// (then the caller checks it, with <see cref="CheckLimits"/>). Errors name the file.</summary>
    public static ImageFileInfo Identify(string path, PngLimits? limits = null, bool checkLimits = true)
    {
        limits ??= PngLimits.Default;
        limits.Validate();
        byte[] head = RegularFile.ReadPrefix(path, PngSignature.Length, limits.MaxFileBytes);
        ImageFileInfo info;
        if (head.AsSpan().SequenceEqual(PngSignature))
        {
            PngHeader h = PngDecoder.ReadHeader(path, limits);
            info = new ImageFileInfo(h.Width, h.Height, h.ColorType is 2 or 3 or 6, "png");
        }
        else
        {
            byte[] bytes = RegularFile.ReadAllBytes(path, limits.MaxFileBytes);
            info = Sharpen(path, () => IdentifySharp(bytes));
        }
        if (checkLimits) CheckLimits(path, info, limits);
        return info;
    }

    /// <summary>The image at <paramref name="path"/> as 8-bit pixels: gray files without alpha as Gray8, the rest as Rgba8;
    /// PNG keeps its decoded layout. The size is checked against <paramref name="limits"/> before decoding.</summary>
    public static PngImage Load(string path, PngLimits? limits = null)
    {
        limits ??= PngLimits.Default;
        limits.Validate();
        byte[] bytes = RegularFile.ReadAllBytes(path, limits.MaxFileBytes);
        if (bytes.AsSpan().StartsWith(PngSignature))
        {
            try { return PngDecoder.Decode(bytes, limits); }
            catch (InvalidDataException e) { throw new InvalidDataException($"{path}: {e.Message}", e); }
        }
        return Sharpen(path, () =>
        {
            var (info, alpha) = IdentifySharpWithAlpha(bytes);
            CheckLimits(path, info, limits);
            if (info.Format == "bmp") CheckBmpLength(bytes, info);
            return DecodeSharp(bytes, info.Colour || alpha);
        });
    }

    /// <summary>The image at <paramref name="path"/> as <paramref name="channels"/> planes of <paramref name="height"/> x
    /// <paramref name="width"/> levels in [0, 1] in <paramref name="destination"/> (C, H, W), for readers that stream a
    /// folder in batches (`latent score` over a folder tree). An image of another size is resized as
    /// <paramref name="mode"/> says when <paramref name="resize"/> is set, else refused from its header
    /// (<see cref="ImageSizeException"/>) before any pixel is decoded. Errors name the file.</summary>
    public static void Read(string path, int channels, int height, int width, bool resize, Span<float> destination,
        PngLimits? limits = null, ResizeMode mode = ResizeMode.Stretch)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (channels is not (1 or 3)) throw new ArgumentException($"channels must be 1 or 3, got {channels}.", nameof(channels));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        if (destination.Length != channels * height * width)
            throw new ArgumentException($"destination holds {destination.Length} values, not {channels} x {height} x {width}.", nameof(destination));
        ImageFileInfo info = Identify(path, limits);
        if (!resize && (info.Height != height || info.Width != width))
            throw new ImageSizeException($"{path} is {info.Width} x {info.Height} pixels, but {width} x {height} are needed; resize it or remove it from the folder.",
                path, info.Width, info.Height, width, height);
        PngImage image = Load(path, limits);
        float[] planes = channels == 1 ? image.ToGrayFloats() : image.ToRgbFloats();   // (C, h0, w0)
        if (image.Height == height && image.Width == width) planes.CopyTo(destination);
        else ImageResize.Fit(planes, channels, image.Height, image.Width, destination, height, width, mode);
    }

    /// <summary>An uncompressed BMP (BI_RGB, BI_BITFIELDS) must hold every row its header declares: ImageSharp 2.1
    /// reads a truncated one as if the missing rows were black, so it is refused here.
    /// Reference: BITMAPFILEHEADER.bfOffBits, BITMAPINFOHEADER (biBitCount, biCompression); rows padded to 4 bytes.</summary>
    private static void CheckBmpLength(byte[] bytes, ImageFileInfo info)
    {
        if (bytes.Length < 34) throw new InvalidDataException($"the BMP file is truncated: {bytes.Length} bytes, too few for its headers.");
        uint offset = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(10));
        uint dib = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(14));
        if (dib < 40) return;                                       // an OS/2 core header: no compression field
        int bits = System.Buffers.Binary.BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(28));
        uint compression = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(30));
        if (compression is not (0 or 3) || bits is 0 or > 64) return;
        long stride = ((long)bits * info.Width + 31) / 32 * 4;
        long needed = offset + stride * info.Height;
        if (bytes.Length < needed)
            throw new InvalidDataException($"the BMP file is truncated: {info.Width} x {info.Height} pixels of {bits} bits need {needed} bytes, the file has {bytes.Length}.");
    }

    /// <summary>Decodes a file image with ImageSharp whatever its format (PNG included): the codec measurement's other
    /// side. Gray images without alpha as Gray8, the rest as Rgba8.</summary>
    public static PngImage DecodeWithImageSharp(byte[] bytes, PngLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        limits ??= PngLimits.Default;
        return Sharpen("image", () =>
        {
            var (info, alpha) = IdentifySharpWithAlpha(bytes);
            CheckLimits("image", info, limits);
            return DecodeSharp(bytes, info.Colour || alpha);
        });
    }

    private static ImageFileInfo IdentifySharp(byte[] bytes) => IdentifySharpWithAlpha(bytes).Info;

    /// <summary>The header, and whether the pixels carry alpha (then gray images decode as RGBA, for compositing).</summary>
    private static (ImageFileInfo Info, bool Alpha) IdentifySharpWithAlpha(byte[] bytes)
    {
        IImageInfo? info = Image.Identify(Sharp, bytes, out IImageFormat? format);
        if (info is null || format is null)
            throw new InvalidDataException($"not an image of a format Latent reads ({ImageFormats.Names}): its first bytes are {Hex(bytes)}.");
        string name = format.Name.ToLowerInvariant();
        var png = name == "png" ? SixLabors.ImageSharp.MetadataExtensions.GetPngMetadata(info.Metadata) : null;
        bool colour = name switch
        {
            "png" => png!.ColorType is not (PngColorType.Grayscale or PngColorType.GrayscaleWithAlpha),
            "jpeg" => info.Metadata.GetJpegMetadata().ColorType is not JpegColorType.Luminance,
            _ => info.PixelType.BitsPerPixel >= 24,
        };
        bool alpha = name switch
        {
            "png" => png!.ColorType is PngColorType.GrayscaleWithAlpha or PngColorType.RgbWithAlpha || png.HasTransparency,
            "jpeg" => false,
            _ => true,
        };
        if (info.Width < 1 || info.Height < 1) throw new InvalidDataException($"the {name} header declares a size of {info.Width} x {info.Height} pixels.");
        return (new ImageFileInfo(info.Width, info.Height, colour, name), alpha);
    }

    /// <summary>Gray8 for gray images without alpha, else Rgba8 (ToGrayFloats / ToRgbFloats composite alpha over black).</summary>
    private static PngImage DecodeSharp(byte[] bytes, bool rgba)
    {
        if (!rgba)
        {
            using Image<L8> gray = Image.Load<L8>(Sharp, bytes);
            var g = new byte[gray.Width * gray.Height];
            gray.CopyPixelDataTo(g);
            return new PngImage(gray.Width, gray.Height, Png.PixelFormat.Gray8, g);
        }
        using Image<Rgba32> image = Image.Load<Rgba32>(Sharp, bytes);
        var p = new byte[image.Width * image.Height * 4];
        image.CopyPixelDataTo(p);
        return new PngImage(image.Width, image.Height, Png.PixelFormat.Rgba8, p);
    }

    /// <summary>Refuses an image whose header declares more than <paramref name="limits"/> allow, naming the file.</summary>
    public static void CheckLimits(string path, ImageFileInfo info, PngLimits limits)
    {
        ArgumentNullException.ThrowIfNull(info);
        ArgumentNullException.ThrowIfNull(limits);
        if (info.Width > limits.MaxSide || info.Height > limits.MaxSide || info.Pixels > limits.MaxPixels)
            throw new InvalidDataException(
                $"{path}: the {info.Format} header declares {info.Width} x {info.Height} pixels, over the limit of {limits.MaxPixels} pixels " +
                $"({limits.MaxSide} a side) for one image; refused before decoding (an image bomb, or a picture to shrink first).");
    }

    /// <summary>Runs an ImageSharp call; whatever it throws on a bad file becomes an InvalidDataException naming the
    /// file (a decoder fault on hostile bytes is a corrupt image to the user, not a crash).</summary>
    private static T Sharpen<T>(string path, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (InvalidDataException e) when (!e.Message.StartsWith(path, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
        catch (InvalidDataException)
        {
            throw;
        }
#pragma warning disable CA1031 // A third-party decoder on hostile bytes: every failure is a corrupt file, named.
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new InvalidDataException($"{path}: corrupt or unsupported image ({Describe(e)}).", e);
        }
#pragma warning restore CA1031
    }

    private static string Describe(Exception e) => e switch
    {
        UnknownImageFormatException => $"not a format Latent reads: {ImageFormats.Names}",
        InvalidMemoryOperationException => "it would need more than 1 GB of memory to decode",
        _ => e.Message.TrimEnd('.'),
    };

    private static string Hex(byte[] bytes) => bytes.Length == 0 ? "(none: the file is empty)" : Convert.ToHexString(bytes.AsSpan(0, Math.Min(8, bytes.Length)));
}

// An 8-bit image as decoded from or encoded to PNG: pixels (H, W, C) row-major, C = (int)Format.
namespace Latent.Data.Png;

/// <summary>An 8-bit image: <see cref="Pixels"/> holds (Height, Width, Channels) bytes, row-major, channels interleaved.</summary>
public sealed class PngImage
{
    public PngImage(int width, int height, PixelFormat format, byte[] pixels)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        if (width <= 0 || height <= 0)
            throw new ArgumentOutOfRangeException(nameof(width), $"Image size must be positive, got {width} x {height}.");
        if (!Enum.IsDefined(format))
            throw new ArgumentOutOfRangeException(nameof(format), $"Unknown pixel format {(int)format}.");
        long expected = (long)width * height * (int)format;
        if (pixels.LongLength != expected)
            throw new ArgumentException(
                $"A {width} x {height} {format} image needs {expected} bytes, got {pixels.LongLength}.", nameof(pixels));
        Width = width;
        Height = height;
        Format = format;
        Pixels = pixels;
    }

    public int Width { get; }
    public int Height { get; }
    public PixelFormat Format { get; }
    public int Channels => (int)Format;

    /// <summary>(Height, Width, Channels) bytes, row-major.</summary>
#pragma warning disable CA1819 // An image is its pixel buffer; callers index it directly, a copy per access would defeat the type.
    public byte[] Pixels { get; }
#pragma warning restore CA1819

    /// <summary>
    /// Gray levels in [0, 1], (Height, Width) row-major, always 8-bit levels k / 255: gray as is, colour by Rec. 601
    /// luma in PIL's integer form (Image.convert("L"): L = (19595 R + 38470 G + 7471 B + 2^15) >> 16, so red is 76);
    /// alpha is composited over black (round(L a / 255)), as MNIST digits are white on black.
    /// </summary>
    public float[] ToGrayFloats()
    {
        int n = Width * Height, c = Channels;
        var gray = new float[n];
        for (int i = 0; i < n; i++)
        {
            ReadOnlySpan<byte> p = Pixels.AsSpan(i * c, c);
            int v = c >= 3 ? Luma(p[0], p[1], p[2]) : p[0];
            if (c == 2 || c == 4) v = OverBlack(v, p[c - 1]);
            gray[i] = v / 255f;
        }
        return gray;
    }

    /// <summary>
    /// RGB levels in [0, 1], (3, Height, Width) planes, 8-bit levels k / 255: gray is replicated to the three planes;
    /// alpha is composited over black, as in <see cref="ToGrayFloats"/>.
    /// </summary>
    public float[] ToRgbFloats()
    {
        int n = Width * Height, c = Channels;
        var rgb = new float[3 * n];
        for (int i = 0; i < n; i++)
        {
            ReadOnlySpan<byte> p = Pixels.AsSpan(i * c, c);
            for (int k = 0; k < 3; k++)
            {
                int v = c >= 3 ? p[k] : p[0];
                if (c == 2 || c == 4) v = OverBlack(v, p[c - 1]);
                rgb[k * n + i] = v / 255f;
            }
        }
        return rgb;
    }

    /// <summary>Rec. 601 luma of an 8-bit RGB pixel, rounded to a level as PIL's convert("L") does.</summary>
    public static int Luma(byte r, byte g, byte b) => (19595 * r + 38470 * g + 7471 * b + 0x8000) >> 16;

    /// <summary>Level v over black under alpha a (both 0..255), rounded to the nearest level.</summary>
    private static int OverBlack(int v, byte a) => (v * a + 127) / 255;

    /// <summary>An 8-bit grayscale image from gray levels in [0, 1] (clamped; NaN becomes 0), (height, width) row-major.</summary>
    public static PngImage FromGrayFloats(ReadOnlySpan<float> gray, int width, int height)
    {
        if (width <= 0 || height <= 0)
            throw new ArgumentOutOfRangeException(nameof(width), $"Image size must be positive, got {width} x {height}.");
        if (gray.Length != width * height)
            throw new ArgumentException($"A {width} x {height} image needs {width * height} values, got {gray.Length}.", nameof(gray));
        var bytes = new byte[gray.Length];
        for (int i = 0; i < gray.Length; i++) bytes[i] = ToByte(gray[i]);
        return new PngImage(width, height, PixelFormat.Gray8, bytes);
    }

    /// <summary>[0, 1] to 0..255 with rounding; clamps, NaN becomes 0.</summary>
    public static byte ToByte(float v) => float.IsNaN(v) ? (byte)0 : (byte)MathF.Round(Math.Clamp(v, 0f, 1f) * 255f);
}

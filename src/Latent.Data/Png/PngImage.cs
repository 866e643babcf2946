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
    /// Gray levels in [0, 1], (Height, Width) row-major: gray as is, colour by Rec. 601 luma
    /// (0.299 R + 0.587 G + 0.114 B); alpha is composited over black, as MNIST digits are white on black.
    /// </summary>
    public float[] ToGrayFloats()
    {
        int n = Width * Height, c = Channels;
        var gray = new float[n];
        for (int i = 0; i < n; i++)
        {
            ReadOnlySpan<byte> p = Pixels.AsSpan(i * c, c);
            float v = c >= 3 ? 0.299f * p[0] + 0.587f * p[1] + 0.114f * p[2] : p[0];
            if (c == 2 || c == 4) v *= p[c - 1] / 255f;
            gray[i] = v / 255f;
        }
        return gray;
    }

    /// <summary>
    /// RGB levels in [0, 1], (3, Height, Width) planes: gray is replicated to the three planes; alpha is composited
    /// over black, as in <see cref="ToGrayFloats"/>.
    /// </summary>
    public float[] ToRgbFloats()
    {
        int n = Width * Height, c = Channels;
        var rgb = new float[3 * n];
        for (int i = 0; i < n; i++)
        {
            ReadOnlySpan<byte> p = Pixels.AsSpan(i * c, c);
            float a = c == 2 || c == 4 ? p[c - 1] / 255f : 1f;
            for (int k = 0; k < 3; k++) rgb[k * n + i] = (c >= 3 ? p[k] : p[0]) * a / 255f;
        }
        return rgb;
    }

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

// A batch of gray images for a report: pixels in [0, 1], (Count, Height, Width) row-major.
namespace Latent.Reporting.Report;

/// <summary>A batch of gray images for a report: pixels in [0, 1], (Count, Height, Width) row-major.</summary>
public sealed class ImageBatch
{
    public ImageBatch(float[] pixels, int count, int height, int width)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        if (count <= 0 || height <= 0 || width <= 0)
            throw new ArgumentOutOfRangeException(nameof(count), $"An image batch needs a positive count and size, got {count} of {height} x {width}.");
        if ((long)count * height * width != pixels.Length)
            throw new ArgumentException($"{count} images of {height} x {width} need {(long)count * height * width} pixels, got {pixels.Length}.", nameof(pixels));
        Pixels = pixels;
        Count = count;
        Height = height;
        Width = width;
    }

    /// <summary>(Count, Height, Width) pixels in [0, 1].</summary>
#pragma warning disable CA1819 // The batch is a view over the caller's pixel buffer.
    public float[] Pixels { get; }
#pragma warning restore CA1819

    public int Count { get; }
    public int Height { get; }
    public int Width { get; }

    /// <summary>The first <paramref name="n"/> images (all if fewer).</summary>
    public ReadOnlySpan<float> First(int n) => Pixels.AsSpan(0, Math.Min(n, Count) * Height * Width);
}

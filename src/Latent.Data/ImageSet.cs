// A labelled set of grayscale images: pixels scaled to [0, 1], row-major, one image after another.
//   Pixels: (N, H, W) flattened; Labels: (N)
namespace Latent.Data;

/// <summary>A labelled set of grayscale images: pixels scaled to [0, 1], row-major, one image after another.</summary>
public sealed class ImageSet
{
    public ImageSet(float[] pixels, byte[] labels, int height, int width, string source)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        ArgumentNullException.ThrowIfNull(labels);
        if (height <= 0 || width <= 0) throw new ArgumentException($"Image size must be positive, got {height} x {width}.");
        if (pixels.Length != (long)labels.Length * height * width)
            throw new ArgumentException(
                $"{source}: {pixels.Length} pixels do not make {labels.Length} images of {height} x {width}.");
        Pixels = pixels;
        Labels = labels;
        Height = height;
        Width = width;
        Source = source;
    }

    /// <summary>(N, H, W) pixels in [0, 1].</summary>
    public float[] Pixels { get; }

    /// <summary>(N) class labels.</summary>
    public byte[] Labels { get; }

    public int Height { get; }
    public int Width { get; }

    /// <summary>Where the images came from (a file or dataset name), for messages.</summary>
    public string Source { get; }

    public int Count => Labels.Length;
    public int Dim => Height * Width;

    /// <summary>Pixels of image i: (H * W).</summary>
    public ReadOnlySpan<float> Image(int i) => Pixels.AsSpan(i * Dim, Dim);

    /// <summary>The images whose label is in <paramref name="classes"/>, in their original order.</summary>
    public ImageSet OfClasses(IReadOnlyCollection<int> classes, string? source = null)
    {
        ArgumentNullException.ThrowIfNull(classes);
        var keep = new List<int>();
        for (int i = 0; i < Count; i++)
            if (classes.Contains(Labels[i])) keep.Add(i);
        return Select(keep, source ?? $"{Source}[{string.Join(",", classes)}]");
    }

    public ImageSet OfClass(int label) => OfClasses([label], $"{Source}[{label}]");

    /// <summary>The images at the given indices, in that order.</summary>
    public ImageSet Select(IReadOnlyList<int> indices, string source)
    {
        ArgumentNullException.ThrowIfNull(indices);
        var pixels = new float[indices.Count * Dim];
        var labels = new byte[indices.Count];
        for (int j = 0; j < indices.Count; j++)
        {
            Image(indices[j]).CopyTo(pixels.AsSpan(j * Dim, Dim));
            labels[j] = Labels[indices[j]];
        }
        return new ImageSet(pixels, labels, Height, Width, source);
    }

    /// <summary>Distinct labels present, sorted.</summary>
    public int[] Classes() => Labels.Distinct().Select(b => (int)b).Order().ToArray();
}

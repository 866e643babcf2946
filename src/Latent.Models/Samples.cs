// A batch of samples handed to a class model: (N, C, H, W) row-major float32, one sample after another, with its
// geometry (Shape). Models that ignore geometry (PCA, kNN, the diagonal Gaussian) read rows of D = C H W values.
namespace Latent.Models;

/// <summary>A batch of samples handed to a class model: (N, C, H, W) row-major float32, one sample after another, with its geometry (Shape).</summary>
public readonly record struct Samples
{
    /// <summary>N samples of the given shape; <paramref name="x"/> holds N C H W values.</summary>
    public Samples(float[] x, int count, ImageShape shape)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (shape.Dim == 0) throw new ArgumentException("samples need a shape with at least one value (default ImageShape given).");
        if (count < 0 || (long)count * shape.Dim != x.Length)
            throw new ArgumentException($"{x.Length} values do not make {count} samples of shape {shape} ({shape.Dim} values each).");
        X = x;
        Count = count;
        Shape = shape;
    }

    /// <summary>N vectors of <paramref name="dim"/> features (ImageShape.Flat).</summary>
    public Samples(float[] x, int count, int dim) : this(x, count, dim > 0 ? ImageShape.Flat(dim) : default) { }

    /// <summary>(N, C, H, W) values.</summary>
    public float[] X { get; }
    public int Count { get; }
    public ImageShape Shape { get; }

    /// <summary>D = C H W values per sample.</summary>
    public int Dim => Shape.Dim;

    public ReadOnlySpan<float> Row(int i) => X.AsSpan(i * Dim, Dim);

    /// <summary>Samples first .. first + count - 1 (a copy).</summary>
    public Samples Slice(int first, int count) => new(X.AsSpan(first * Dim, count * Dim).ToArray(), count, Shape);

    /// <summary>The samples at <paramref name="indices"/>, in that order (a copy).</summary>
    public Samples Select(IReadOnlyList<int> indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        var x = new float[(long)indices.Count * Dim];
        for (int i = 0; i < indices.Count; i++) Row(indices[i]).CopyTo(x.AsSpan(i * Dim, Dim));
        return new Samples(x, indices.Count, Shape);
    }

    /// <summary>Throws when any value is NaN or infinite, naming the first bad sample.</summary>
    public void EnsureFinite(string what)
    {
        for (int i = 0; i < X.Length; i++)
            if (!float.IsFinite(X[i]))
                throw new ArgumentException(
                    $"{what}: sample {i / Dim} has a {(float.IsNaN(X[i]) ? "NaN" : "infinite")} value at position {i % Dim}; clean the input first.");
    }
}

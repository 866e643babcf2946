// A batch of flattened samples handed to a class model: (N, D) row-major float32.
namespace Latent.Models;

public readonly record struct Samples
{
    public Samples(float[] x, int count, int dim)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (count < 0 || dim <= 0 || (long)count * dim != x.Length)
            throw new ArgumentException($"{x.Length} values do not make {count} samples of dimension {dim}.");
        X = x;
        Count = count;
        Dim = dim;
    }

    /// <summary>(N, D) values.</summary>
    public float[] X { get; }
    public int Count { get; }
    public int Dim { get; }

    public ReadOnlySpan<float> Row(int i) => X.AsSpan(i * Dim, Dim);

    /// <summary>Throws when any value is NaN or infinite, naming the first bad sample.</summary>
    public void EnsureFinite(string what)
    {
        for (int i = 0; i < X.Length; i++)
            if (!float.IsFinite(X[i]))
                throw new ArgumentException(
                    $"{what}: sample {i / Dim} has a {(float.IsNaN(X[i]) ? "NaN" : "infinite")} value at position {i % Dim}; clean the input first.");
    }
}

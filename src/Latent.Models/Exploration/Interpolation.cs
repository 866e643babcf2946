// Straight lines in latent space (seed 002, sec. 2-3): from centroid i to centroid j, z(alpha) = (1 - alpha) c_i +
// alpha c_j, and an image moved along a vector, z(alpha) = E(x) + alpha v. Alphas are a finite, non-empty, increasing
// sweep (AlphaRange).
namespace Latent.Models.Exploration;

/// <summary>Straight lines in latent space (seed 002, sec. 2-3): from centroid i to centroid j, z(alpha) = (1 - alpha) c_i + alpha c_j, and an image moved along a vector, z(alpha) = E(x) + alpha v.</summary>
public static class Interpolation
{
    /// <summary>(A, Z) codes (1 - alpha) a + alpha b for each alpha.</summary>
    public static float[] Between(ReadOnlySpan<float> a, ReadOnlySpan<float> b, IReadOnlyList<double> alphas)
    {
        ArgumentNullException.ThrowIfNull(alphas);
        if (a.Length != b.Length) throw new ArgumentException($"the end points have {a.Length} and {b.Length} values.");
        int z = a.Length;
        var r = new float[alphas.Count * z];
        for (int k = 0; k < alphas.Count; k++)
        {
            double t = alphas[k];
            for (int i = 0; i < z; i++) r[k * z + i] = (float)((1 - t) * a[i] + t * b[i]);
        }
        return r;
    }

    /// <summary>(A, Z) codes start + alpha v for each alpha.</summary>
    public static float[] Along(ReadOnlySpan<float> start, ReadOnlySpan<float> v, IReadOnlyList<double> alphas)
    {
        ArgumentNullException.ThrowIfNull(alphas);
        if (start.Length != v.Length) throw new ArgumentException($"the code has {start.Length} values, the vector {v.Length}.");
        int z = start.Length;
        var r = new float[alphas.Count * z];
        for (int k = 0; k < alphas.Count; k++)
            for (int i = 0; i < z; i++) r[k * z + i] = (float)(start[i] + alphas[k] * v[i]);
        return r;
    }

    /// <summary>The 45 unordered pairs (i, j), i &lt; j, of the classes, in row order (0-1, 0-2, ..., 8-9 for ten digits).</summary>
    public static IReadOnlyList<(int From, int To)> Pairs(IReadOnlyList<int> classes)
    {
        ArgumentNullException.ThrowIfNull(classes);
        var c = classes.Distinct().Order().ToArray();
        var pairs = new List<(int, int)>();
        for (int i = 0; i < c.Length; i++)
            for (int j = i + 1; j < c.Length; j++) pairs.Add((c[i], c[j]));
        return pairs;
    }

    /// <summary>(P A, Z) codes of the pair grid: row p goes from the centroid of Pairs[p].From to that of .To.</summary>
    public static float[] PairGrid(Centroids centroids, IReadOnlyList<(int From, int To)> pairs, IReadOnlyList<double> alphas)
    {
        ArgumentNullException.ThrowIfNull(centroids);
        ArgumentNullException.ThrowIfNull(pairs);
        ArgumentNullException.ThrowIfNull(alphas);
        int z = centroids.Latent, row = alphas.Count * z;
        var r = new float[pairs.Count * row];
        for (int p = 0; p < pairs.Count; p++)
            Between(centroids.Of(pairs[p].From), centroids.Of(pairs[p].To), alphas).CopyTo(r.AsSpan(p * row, row));
        return r;
    }
}

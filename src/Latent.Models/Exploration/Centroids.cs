// Class centroids in latent space (seed 002, sec. 2): c_a = mean of E(x) over the images x of class a, and the
// interpolation vector from class b to class a, v = c_a - c_b. The model is trained without labels; the labels are
// used only here, afterwards.
namespace Latent.Models.Exploration;

/// <summary>Class centroids in latent space (seed 002, sec. 2): c_a = mean of E(x) over the images x of class a, and the interpolation vector from class b to class a, v = c_a - c_b.</summary>
public sealed class Centroids
{
    private Centroids(float[] codes, int latent, int[] classes, int[] counts)
    {
        Codes = codes;
        Latent = latent;
        Classes = classes;
        Counts = counts;
    }

    /// <summary>(K, Z) row-major: row i is the centroid of Classes[i].</summary>
    public float[] Codes { get; }
    public int Latent { get; }

    /// <summary>The class labels, increasing.</summary>
    public int[] Classes { get; }

    /// <summary>Images averaged per class.</summary>
    public int[] Counts { get; }

    /// <summary>The centroid of class <paramref name="label"/> (Z).</summary>
    public ReadOnlySpan<float> Of(int label) => Codes.AsSpan(Index(label) * Latent, Latent);

    /// <summary>v = c_a - c_b (Z): the vector from class b to class a.</summary>
    public float[] Vector(int from, int to)
    {
        var ca = Of(to);
        var cb = Of(from);
        var v = new float[Latent];
        for (int i = 0; i < Latent; i++) v[i] = ca[i] - cb[i];
        return v;
    }

    /// <summary>The centroids of <paramref name="classes"/> from (N, Z) codes and their labels (mean in double precision).
    /// A class with no image is an error naming it.</summary>
    public static Centroids Compute(ReadOnlySpan<float> codes, ReadOnlySpan<int> labels, int latent, IReadOnlyList<int> classes)
    {
        ArgumentNullException.ThrowIfNull(classes);
        if (latent < 1 || codes.Length != (long)labels.Length * latent)
            throw new ArgumentException($"{codes.Length} code values do not make {labels.Length} codes of size {latent}.");
        if (classes.Count == 0) throw new ArgumentException("no classes asked for; give at least one.");
        var sorted = classes.Distinct().Order().ToArray();
        var sum = new double[sorted.Length * latent];
        var counts = new int[sorted.Length];
        for (int n = 0; n < labels.Length; n++)
        {
            int k = Array.BinarySearch(sorted, labels[n]);
            if (k < 0) continue;
            counts[k]++;
            for (int i = 0; i < latent; i++) sum[k * latent + i] += codes[n * latent + i];
        }
        var missing = sorted.Where((_, k) => counts[k] == 0).ToArray();
        if (missing.Length > 0)
            throw new InvalidDataException($"class{(missing.Length > 1 ? "es" : "")} {string.Join(", ", missing)} ha{(missing.Length > 1 ? "ve" : "s")} no images in the data; " +
                "centroids need at least one image of every class asked for.");
        var c = new float[sum.Length];
        for (int k = 0; k < sorted.Length; k++)
            for (int i = 0; i < latent; i++) c[k * latent + i] = (float)(sum[k * latent + i] / counts[k]);
        return new Centroids(c, latent, sorted, counts);
    }

    private int Index(int label)
    {
        int k = Array.BinarySearch(Classes, label);
        if (k < 0) throw new ArgumentException($"class {label} has no centroid; classes: {string.Join(", ", Classes)}.");
        return k;
    }
}

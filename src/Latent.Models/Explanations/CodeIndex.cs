// The k nearest reference codes of a query code in latent space (Euclidean distance), by an exhaustive scan:
// for the reference sets explanations use (one class's training images: about 6000 codes of Z <= 100 values) a scan
// is a few million multiply-adds per query, well under a millisecond, so no tree or approximate index is needed and
// the answer is exact. Distances are computed in double; ties go to the lower reference index.
namespace Latent.Models.Explanations;

/// <summary>A reference image's index and its code's distance to the query's.</summary>
public readonly record struct Neighbour(int Index, double Distance);

/// <summary>The k nearest reference codes of a query code in latent space (Euclidean distance), by an exact exhaustive scan.</summary>
public sealed class CodeIndex
{
    private readonly float[] codes;   // (N, Z)

    /// <summary>Indexes <paramref name="count"/> codes of <paramref name="dim"/> values, (N, Z) row-major.</summary>
    public CodeIndex(float[] codes, int count, int dim)
    {
        ArgumentNullException.ThrowIfNull(codes);
        if (count < 1 || dim < 1 || (long)count * dim != codes.Length)
            throw new ArgumentException($"{codes.Length} values are not {count} codes of {dim} values; a code index needs at least one code.");
        this.codes = codes;
        Count = count;
        Dim = dim;
    }

    public int Count { get; }
    public int Dim { get; }

    /// <summary>The code of reference <paramref name="i"/>: (Z).</summary>
    public ReadOnlySpan<float> Code(int i) => codes.AsSpan(i * Dim, Dim);

    /// <summary>The min(k, N) nearest reference codes to <paramref name="query"/> (Z), nearest first.</summary>
    public Neighbour[] Nearest(ReadOnlySpan<float> query, int k)
    {
        if (query.Length != Dim) throw new ArgumentException($"the query code has {query.Length} values; the index holds codes of {Dim}.");
        if (k < 1) throw new ArgumentException($"asked for {k} neighbours; give at least 1.");
        int m = Math.Min(k, Count);
        var best = new Neighbour[m];   // sorted by (distance, index), the first `filled` entries valid
        int filled = 0;
        for (int i = 0; i < Count; i++)
        {
            ReadOnlySpan<float> c = codes.AsSpan(i * Dim, Dim);
            double s = 0;
            for (int j = 0; j < Dim; j++)
            {
                double d = (double)query[j] - c[j];
                s += d * d;
            }
            if (filled == m && s >= best[m - 1].Distance) continue;   // holds squared distances until the end
            int at = filled == m ? m - 1 : filled++;
            while (at > 0 && best[at - 1].Distance > s)
            {
                best[at] = best[at - 1];
                at--;
            }
            best[at] = new Neighbour(i, s);
        }
        for (int i = 0; i < m; i++) best[i] = best[i] with { Distance = Math.Sqrt(best[i].Distance) };
        return best;
    }
}

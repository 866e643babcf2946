// Eigendecomposition of a real symmetric matrix, C = V diag(lambda) V^T, in double precision:
// every eigenvalue (decreasing) and the eigenvectors of the k largest. Householder tridiagonalisation,
// QL for the eigenvalues, inverse iteration for the k wanted vectors of T, back-transformation
// (Tridiagonal, TridiagonalEigen). For a 784 x 784 covariance this is several times faster than a
// full decomposition with every vector (MathNet's, which the tests use as the oracle).
namespace Latent.Models.Linalg;

/// <summary>Eigendecomposition of a real symmetric matrix, C = V diag(lambda) V^T, in double precision: every eigenvalue (decreasing) and the eigenvectors of the k largest.</summary>
public sealed class SymmetricEigen
{
    private SymmetricEigen(double[] values, double[] vectors, int d, int k)
    {
        Values = values;
        Vectors = vectors;
        Dim = d;
        VectorCount = k;
    }

    /// <summary>(D) eigenvalues, largest first.</summary>
    public double[] Values { get; }

    /// <summary>(k, D) row-major; row i is the unit eigenvector of Values[i].</summary>
    public double[] Vectors { get; }

    public int Dim { get; }
    public int VectorCount { get; }

    public ReadOnlySpan<double> Vector(int i) => Vectors.AsSpan(i * Dim, Dim);

    /// <summary>All eigenvalues and the eigenvectors of the <paramref name="k"/> largest, of the symmetric (D, D) row-major matrix.</summary>
    public static SymmetricEigen Leading(double[] c, int d, int k)
    {
        ArgumentNullException.ThrowIfNull(c);
        if (c.Length != (long)d * d) throw new ArgumentException($"expected a {d} x {d} matrix, got {c.Length} values.");
        if (k < 0 || k > d) throw new ArgumentOutOfRangeException(nameof(k), $"cannot keep {k} eigenvectors of a {d} x {d} matrix.");
        // QL never converges on NaN (no off-diagonal ever tests negligible): refuse it here, where the caller can tell.
        if (!IsFinite(c)) throw new ArgumentException($"the {d} x {d} matrix has a NaN or infinite entry.", nameof(c));
        var t = Tridiagonal.Reduce(c, d);
        var values = TridiagonalEigen.Values(t.Diagonal, t.OffDiagonal);
        Array.Sort(values);
        Array.Reverse(values);
        var vectors = TridiagonalEigen.Vectors(t.Diagonal, t.OffDiagonal, values.AsSpan(0, k));
        for (int i = 0; i < k; i++) t.BackTransform(vectors.AsSpan(i * d, d));
        return new SymmetricEigen(values, vectors, d, k);
    }

    public static bool IsFinite(ReadOnlySpan<double> values)
    {
        foreach (double v in values)
            if (!double.IsFinite(v)) return false;
        return true;
    }
}

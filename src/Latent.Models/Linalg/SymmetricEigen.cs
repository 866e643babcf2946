// Eigendecomposition of a real symmetric matrix, C = V diag(lambda) V^T, in double precision,
// eigenvalues sorted in decreasing order. Backed by MathNet.Numerics' Householder
// tridiagonalisation + implicit QL (an exact, dense method: dense linear algebra is what MathNet is
// for here; our hot loops never use it).
using MathNet.Numerics.LinearAlgebra;

namespace Latent.Models.Linalg;

public sealed class SymmetricEigen
{
    private SymmetricEigen(double[] values, double[] vectors, int d)
    {
        Values = values;
        Vectors = vectors;
        Dim = d;
    }

    /// <summary>(D) eigenvalues, largest first.</summary>
    public double[] Values { get; }

    /// <summary>(D, D) row-major; row i is the unit eigenvector of Values[i].</summary>
    public double[] Vectors { get; }

    public int Dim { get; }

    public ReadOnlySpan<double> Vector(int i) => Vectors.AsSpan(i * Dim, Dim);

    /// <summary>Decomposes the symmetric (D, D) row-major matrix <paramref name="c"/>.</summary>
    public static SymmetricEigen Compute(double[] c, int d)
    {
        ArgumentNullException.ThrowIfNull(c);
        if (c.Length != (long)d * d) throw new ArgumentException($"expected a {d} x {d} matrix, got {c.Length} values.");
        var m = Matrix<double>.Build.Dense(d, d, c); // column-major view of a symmetric matrix: the same matrix
        var evd = m.Evd(Symmetricity.Symmetric);
        var lam = evd.EigenValues; // ascending, real for a symmetric matrix
        var v = evd.EigenVectors;  // columns
        var values = new double[d];
        var vectors = new double[(long)d * d];
        for (int i = 0; i < d; i++)
        {
            int src = d - 1 - i;
            values[i] = lam[src].Real;
            for (int j = 0; j < d; j++) vectors[(long)i * d + j] = v[j, src];
        }
        return new SymmetricEigen(values, vectors, d);
    }
}

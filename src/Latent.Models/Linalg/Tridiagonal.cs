// Householder reduction of a symmetric matrix to tridiagonal form, A = Q T Q^T (Golub & Van Loan,
// "Matrix Computations", 4th ed., 8.3.1; LAPACK dsytd2), and the back-transformation x = Q y of
// eigenvectors of T into eigenvectors of A.
//   Step j (0 <= j < n-2) zeroes row/column j beyond the subdiagonal with H_j = I - tau_j v_j v_j^T,
//   v_j acting on indices j+1..n-1 (v_j[0] = 1), and updates the trailing block
//     p = tau A22 v,  w = p - (tau/2)(p.v) v,  A22 <- A22 - v w^T - w v^T.
//   Q = H_0 H_1 ... H_{n-3}. Cost 4/3 n^3 flops for the reduction, 2 n^2 per back-transformed vector.
// Row-major full storage; every inner loop is a contiguous span operation (TensorPrimitives).
using System.Numerics.Tensors;

namespace Latent.Models.Linalg;

/// <summary>Householder reduction of a symmetric matrix to tridiagonal form, A = Q T Q^T (Golub &amp; Van Loan, "Matrix Computations", 4th ed., 8.3.1; LAPACK dsytd2), and the back-transformation x = Q y of eigenvectors of T into eigenvectors of A.</summary>
public sealed class Tridiagonal
{
    private readonly double[] _v;   // (n, n): row j holds v_j in columns j+1..n-1
    private readonly double[] _tau; // (n)

    private Tridiagonal(int n, double[] diag, double[] off, double[] v, double[] tau)
    {
        Size = n;
        Diagonal = diag;
        OffDiagonal = off;
        _v = v;
        _tau = tau;
    }

    public int Size { get; }

    /// <summary>(n) diagonal of T.</summary>
    public double[] Diagonal { get; }

    /// <summary>(n) off-diagonal of T: element i couples i and i+1; the last is 0.</summary>
    public double[] OffDiagonal { get; }

    /// <summary>Reduces the symmetric (n, n) row-major matrix (not modified).</summary>
    public static Tridiagonal Reduce(ReadOnlySpan<double> matrix, int n)
    {
        if (matrix.Length != (long)n * n) throw new ArgumentException($"expected a {n} x {n} matrix, got {matrix.Length} values.");
        var a = matrix.ToArray();
        var d = new double[n];
        var e = new double[n];
        var tau = new double[n];
        var p = new double[n];
        var w = new double[n];
        for (int j = 0; j < n - 2; j++)
        {
            int m = n - j - 1;              // length of v_j
            Span<double> x = a.AsSpan(j * n + j + 1, m); // row j right of the diagonal = column j below it
            d[j] = a[j * n + j];
            double alpha = x[0];
            double xnorm = TensorPrimitives.Norm(x[1..]);
            if (xnorm == 0)
            {
                e[j] = alpha;
                tau[j] = 0;
                continue;
            }
            double beta = -Math.CopySign(Math.Sqrt(alpha * alpha + xnorm * xnorm), alpha);
            double t = (beta - alpha) / beta;
            TensorPrimitives.Divide(x, alpha - beta, x);
            x[0] = 1;
            e[j] = beta;
            tau[j] = t;
            ReadOnlySpan<double> v = x;
            int o = j + 1;                  // trailing block A22 = a[o.., o..]
            Span<double> pm = p.AsSpan(0, m), wm = w.AsSpan(0, m);
            for (int i = 0; i < m; i++)
                pm[i] = t * TensorPrimitives.Dot(a.AsSpan((o + i) * n + o, m), v);
            double k = 0.5 * t * TensorPrimitives.Dot(pm, v);
            TensorPrimitives.MultiplyAdd(v, -k, pm, wm);
            for (int i = 0; i < m; i++)
            {
                Span<double> row = a.AsSpan((o + i) * n + o, m);
                TensorPrimitives.MultiplyAdd(wm, -v[i], row, row);
                TensorPrimitives.MultiplyAdd(v, -wm[i], row, row);
            }
        }
        if (n >= 2)
        {
            d[n - 2] = a[(n - 2) * n + n - 2];
            e[n - 2] = a[(n - 2) * n + n - 1];
        }
        d[n - 1] = a[(n - 1) * n + n - 1];
        return new Tridiagonal(n, d, e, a, tau);
    }

    /// <summary>In place: y &lt;- Q y for a vector of length n (an eigenvector of T becomes one of A).</summary>
    public void BackTransform(Span<double> y)
    {
        int n = Size;
        if (y.Length != n) throw new ArgumentException($"expected a vector of length {n}, got {y.Length}.");
        for (int j = n - 3; j >= 0; j--)
        {
            if (_tau[j] == 0) continue;
            ReadOnlySpan<double> v = _v.AsSpan(j * n + j + 1, n - j - 1);
            Span<double> yj = y[(j + 1)..];
            double s = _tau[j] * TensorPrimitives.Dot(v, yj);
            TensorPrimitives.MultiplyAdd(v, -s, yj, yj);
        }
    }
}

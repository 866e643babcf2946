// Eigenvalues and selected eigenvectors of a symmetric tridiagonal matrix T (diagonal d, off-diagonal e).
//   Eigenvalues: implicit QL with Wilkinson shifts (EISPACK tql1; Numerical Recipes tqli), O(n^2).
//   Eigenvectors: inverse iteration, (T - lambda I) y_{t+1} = y_t, solved by tridiagonal LU with
//   partial pivoting, each iterate re-orthogonalised against the vectors already computed for
//   eigenvalues closer than 1e-3 ||T|| (LAPACK dstein's rule), O(n) per solve.
// Together with the Householder reduction this is LAPACK's dsyevx route: all eigenvalues, and only
// the k eigenvectors wanted, for O(n^3) + O(k n^2) work instead of the O(n^3) of accumulating every vector.
using System.Numerics.Tensors;

namespace Latent.Models.Linalg;

/// <summary>Eigenvalues and selected eigenvectors of a symmetric tridiagonal matrix T (diagonal d, off-diagonal e).</summary>
public static class TridiagonalEigen
{
    /// <summary>All eigenvalues of T, unsorted. Inputs are not modified.</summary>
    public static double[] Values(ReadOnlySpan<double> diagonal, ReadOnlySpan<double> offDiagonal)
    {
        int n = diagonal.Length;
        var d = diagonal.ToArray();
        var e = offDiagonal.ToArray();
        if (n > 0) e[n - 1] = 0;
        // Negligible off-diagonal: relative to the norm of T, as EISPACK's tql1 / JAMA's tql2 (a test
        // relative to |d[m]| + |d[m+1]| alone never succeeds in a block of zero rows).
        double tnorm = 0;
        for (int i = 0; i < n; i++) tnorm = Math.Max(tnorm, Math.Abs(d[i]) + Math.Abs(e[i]));
        double small = Math.ScaleB(tnorm, -52);
        for (int l = 0; l < n; l++)
        {
            int iter = 0, m;
            do
            {
                for (m = l; m < n - 1; m++)
                {
                    if (Math.Abs(e[m]) <= small) break;
                }
                if (m == l) break;
                if (++iter > 100) throw new ArithmeticException("tridiagonal QL did not converge in 100 iterations.");
                double g = (d[l + 1] - d[l]) / (2.0 * e[l]);
                double r = double.Hypot(g, 1.0);
                g = d[m] - d[l] + e[l] / (g + Math.CopySign(r, g));
                double s = 1, c = 1, p = 0;
                int i;
                bool underflow = false;
                for (i = m - 1; i >= l; i--)
                {
                    double f = s * e[i], b = c * e[i];
                    e[i + 1] = r = double.Hypot(f, g);
                    if (r == 0)
                    {
                        d[i + 1] -= p;
                        e[m] = 0;
                        underflow = true;
                        break;
                    }
                    s = f / r;
                    c = g / r;
                    g = d[i + 1] - p;
                    r = (d[i] - g) * s + 2.0 * c * b;
                    p = s * r;
                    d[i + 1] = g + p;
                    g = c * r - b;
                }
                if (underflow) continue;
                d[l] -= p;
                e[l] = g;
                e[m] = 0;
            } while (m != l);
        }
        return d;
    }

    /// <summary>
    /// Unit eigenvectors of T for the given eigenvalues (which should be sorted so that close ones are adjacent),
    /// one row of the (k, n) result per eigenvalue.
    /// </summary>
    public static double[] Vectors(ReadOnlySpan<double> diagonal, ReadOnlySpan<double> offDiagonal, ReadOnlySpan<double> values)
    {
        int n = diagonal.Length, k = values.Length;
        double norm = 0;
        for (int i = 0; i < n; i++)
            norm = Math.Max(norm, Math.Abs(diagonal[i]) + (i > 0 ? Math.Abs(offDiagonal[i - 1]) : 0) + (i < n - 1 ? Math.Abs(offDiagonal[i]) : 0));
        if (norm == 0) norm = 1;
        double clusterTol = 1e-3 * norm, pivotFloor = 1e-15 * norm;
        var y = new double[(long)k * n];
        var lu = new TridiagonalLu(n);
        var rng = new Random(12345); // a fixed start vector: the decomposition is deterministic
        int clusterStart = 0;
        for (int q = 0; q < k; q++)
        {
            if (q > 0 && Math.Abs(values[q] - values[q - 1]) > clusterTol) clusterStart = q;
            lu.Factor(diagonal, offDiagonal, values[q], pivotFloor);
            Span<double> v = y.AsSpan(q * n, n);
            for (int i = 0; i < n; i++) v[i] = rng.NextDouble() - 0.5;
            for (int it = 0; it < 5; it++)
            {
                lu.Solve(v);
                for (int o = clusterStart; o < q; o++)
                {
                    ReadOnlySpan<double> u = y.AsSpan(o * n, n);
                    double dot = TensorPrimitives.Dot(u, v);
                    TensorPrimitives.MultiplyAdd(u, -dot, v, v);
                }
                double nv = TensorPrimitives.Norm(v);
                if (nv == 0 || !double.IsFinite(nv)) throw new ArithmeticException("inverse iteration broke down.");
                TensorPrimitives.Divide(v, nv, v);
            }
        }
        return y;
    }

    // LU factorisation with partial pivoting of T - sigma I (LAPACK dgttrf): U has two superdiagonals.
    private sealed class TridiagonalLu(int n)
    {
        private readonly double[] _u0 = new double[n], _u1 = new double[n], _u2 = new double[n], _l = new double[n];
        private readonly bool[] _swap = new bool[n];

        public void Factor(ReadOnlySpan<double> d, ReadOnlySpan<double> e, double sigma, double floor)
        {
            for (int i = 0; i < n; i++)
            {
                _u0[i] = d[i] - sigma;
                _u1[i] = i < n - 1 ? e[i] : 0;
                _u2[i] = 0;
            }
            for (int i = 0; i < n - 1; i++)
            {
                double below = e[i]; // (i+1, i): row i+1 is untouched until this step
                if (Math.Abs(_u0[i]) >= Math.Abs(below))
                {
                    _swap[i] = false;
                    double piv = Math.Abs(_u0[i]) < floor ? Math.CopySign(floor, _u0[i] == 0 ? 1 : _u0[i]) : _u0[i];
                    _u0[i] = piv;
                    double f = below / piv;
                    _l[i] = f;
                    _u0[i + 1] -= f * _u1[i];
                }
                else
                {
                    // swap rows i and i+1
                    _swap[i] = true;
                    double f = _u0[i] / below;
                    _l[i] = f;
                    _u0[i] = below;
                    double t = _u1[i];
                    _u1[i] = _u0[i + 1];
                    _u0[i + 1] = t - f * _u0[i + 1];
                    if (i < n - 2)
                    {
                        _u2[i] = _u1[i + 1];
                        _u1[i + 1] = -f * _u1[i + 1];
                    }
                }
            }
            if (n > 0 && Math.Abs(_u0[n - 1]) < floor) _u0[n - 1] = Math.CopySign(floor, _u0[n - 1] == 0 ? 1 : _u0[n - 1]);
        }

        public void Solve(Span<double> b)
        {
            for (int i = 0; i < n - 1; i++)
            {
                if (!_swap[i]) b[i + 1] -= _l[i] * b[i];
                else
                {
                    double t = b[i];
                    b[i] = b[i + 1];
                    b[i + 1] = t - _l[i] * b[i + 1];
                }
            }
            for (int i = n - 1; i >= 0; i--)
            {
                double s = b[i];
                if (i + 1 < n) s -= _u1[i] * b[i + 1];
                if (i + 2 < n) s -= _u2[i] * b[i + 2];
                b[i] = s / _u0[i];
            }
        }
    }
}

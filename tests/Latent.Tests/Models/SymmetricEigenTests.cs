// Our symmetric eigensolver against MathNet's full decomposition (the oracle): eigenvalues, and the
// leading eigenvectors up to sign, on random matrices, a matrix with repeated eigenvalues, and an
// MNIST-like rank-deficient covariance.
using Latent.Models.Linalg;
using MathNet.Numerics.LinearAlgebra;

namespace Latent.Tests.Models;

public class SymmetricEigenTests
{
    private static void CheckAgainstOracle(double[] c, int d, int k, double tol)
    {
        var ours = SymmetricEigen.Leading(c, d, k);
        var evd = Matrix<double>.Build.Dense(d, d, c).Evd(Symmetricity.Symmetric);
        double scale = Math.Max(1, Math.Abs(evd.EigenValues[d - 1].Real));
        for (int i = 0; i < d; i++)
            Assert.Equal(evd.EigenValues[d - 1 - i].Real, ours.Values[i], tol * scale);
        for (int i = 0; i < k; i++)
        {
            // C v = lambda v and |v| = 1: a residual check that holds also inside clusters of eigenvalues
            var v = ours.Vector(i).ToArray();
            double norm = Math.Sqrt(v.Sum(x => x * x));
            Assert.Equal(1.0, norm, 1e-10);
            for (int r = 0; r < d; r++)
            {
                double cv = 0;
                for (int j = 0; j < d; j++) cv += c[r * d + j] * v[j];
                Assert.Equal(ours.Values[i] * v[r], cv, tol * scale);
            }
            for (int j = 0; j < i; j++)
            {
                double dot = 0;
                var u = ours.Vector(j);
                for (int q = 0; q < d; q++) dot += u[q] * v[q];
                Assert.Equal(0.0, dot, 1e-8);
            }
        }
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 1)]
    [InlineData(17, 5)]
    [InlineData(64, 64)]
    public void RandomSymmetricMatrices(int d, int k)
    {
        var rng = new Random(d);
        var c = new double[d * d];
        for (int i = 0; i < d; i++)
            for (int j = 0; j <= i; j++)
                c[i * d + j] = c[j * d + i] = rng.NextDouble() - 0.5;
        CheckAgainstOracle(c, d, k, 1e-10);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void NonFiniteEntriesAreRefusedBeforeTheIterations(double bad)
    {
        // QL on a NaN never sees a negligible off-diagonal and would spin to its iteration limit
        double[] c = [2, 1, 0, 1, 2, bad, 0, bad, 2];
        var e = Assert.Throws<ArgumentException>(() => SymmetricEigen.Leading(c, 3, 1));
        Assert.Contains("NaN or infinite", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RepeatedEigenvaluesGiveOrthonormalVectors()
    {
        // diag(3, 3, 3, 1, 1, 0, 0, 0) rotated by a random orthogonal matrix
        int d = 8;
        double[] lam = [3, 3, 3, 1, 1, 0, 0, 0];
        var q = Matrix<double>.Build.Random(d, d, new MathNet.Numerics.Distributions.Normal(new Random(5))).QR().Q;
        var c = (q * Matrix<double>.Build.DiagonalOfDiagonalArray(lam) * q.Transpose()).ToRowMajorArray();
        for (int i = 0; i < d; i++) for (int j = 0; j < i; j++) c[i * d + j] = c[j * d + i]; // exactly symmetric
        CheckAgainstOracle(c, d, 6, 1e-9);
    }

    [Fact]
    public void RankDeficientCovarianceOfTheSubset()
    {
        var s = TestData.SubsetTrain.OfClass(3); // 30 images: rank 29, many zero pixels
        var (_, cov) = Covariance.Compute(s.Pixels, s.Count, s.Dim);
        CheckAgainstOracle(cov, s.Dim, 40, 1e-9);
    }
}

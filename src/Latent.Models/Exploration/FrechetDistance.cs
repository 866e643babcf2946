// The Frechet distance between two Gaussians fitted to feature vectors (Heusel et al. 2017, "FID", eq. 6):
//   d^2 = ||mu_1 - mu_2||^2 + tr(S_1 + S_2 - 2 (S_1 S_2)^(1/2))
// with tr (S_1 S_2)^(1/2) = tr (S_1^(1/2) S_2 S_1^(1/2))^(1/2) = sum sqrt(eig(S_1^(1/2) S_2 S_1^(1/2))), a symmetric
// positive semi-definite product whose eigenvalues the symmetric eigensolver gives (small negative rounding clamped
// at 0). Here the features are the hidden layer of the judge CNN trained on MNIST, not Inception's: an "MNIST FID",
// comparable only between runs with the same judge.
using Latent.Models.Linalg;

namespace Latent.Models.Exploration;

/// <summary>The Frechet distance between two Gaussians fitted to feature vectors (Heusel et al. 2017, "FID", eq. 6).</summary>
public static class FrechetDistance
{
    /// <summary>d^2 between the Gaussians of (N1, F) and (N2, F) features.</summary>
    public static double Between(ReadOnlySpan<float> a, int na, ReadOnlySpan<float> b, int nb, int features)
    {
        if (na < 2 || nb < 2) throw new ArgumentException($"the Frechet distance needs at least 2 feature vectors a side, got {na} and {nb}.");
        if (a.Length != (long)na * features || b.Length != (long)nb * features) throw new ArgumentException("feature arrays do not match their counts.");
        var (m1, c1) = Covariance.Compute(a, na, features);
        var (m2, c2) = Covariance.Compute(b, nb, features);
        return Between(m1, c1, m2, c2, features);
    }

    /// <summary>d^2 between N(mu1, S1) and N(mu2, S2) of dimension F (S row-major F x F).</summary>
    public static double Between(double[] mu1, double[] s1, double[] mu2, double[] s2, int f)
    {
        ArgumentNullException.ThrowIfNull(mu1);
        ArgumentNullException.ThrowIfNull(mu2);
        double d2 = 0;
        for (int i = 0; i < f; i++) d2 += (mu1[i] - mu2[i]) * (mu1[i] - mu2[i]);
        double tr = 0;
        for (int i = 0; i < f; i++) tr += s1[i * f + i] + s2[i * f + i];
        var root = Sqrt(s1, f);                     // S_1^(1/2)
        var m = Multiply(Multiply(root, s2, f), root, f);
        for (int i = 0; i < f; i++)                 // symmetrise the rounding
            for (int j = i + 1; j < f; j++) m[i * f + j] = m[j * f + i] = 0.5 * (m[i * f + j] + m[j * f + i]);
        double trRoot = SymmetricEigen.Leading(m, f, 0).Values.Sum(v => Math.Sqrt(Math.Max(v, 0)));
        return d2 + tr - 2 * trRoot;
    }

    /// <summary>The symmetric square root V diag(sqrt(max(lambda, 0))) V^T of a symmetric PSD matrix.</summary>
    private static double[] Sqrt(double[] s, int f)
    {
        var e = SymmetricEigen.Leading(s, f, f);
        var r = new double[f * f];
        for (int k = 0; k < f; k++)
        {
            double w = Math.Sqrt(Math.Max(e.Values[k], 0));
            if (w == 0) continue;
            var v = e.Vector(k);
            for (int i = 0; i < f; i++)
            {
                double vi = w * v[i];
                for (int j = 0; j < f; j++) r[i * f + j] += vi * v[j];
            }
        }
        return r;
    }

    private static double[] Multiply(double[] a, double[] b, int f)
    {
        var c = new double[f * f];
        for (int i = 0; i < f; i++)
            for (int k = 0; k < f; k++)
            {
                double aik = a[i * f + k];
                if (aik == 0) continue;
                for (int j = 0; j < f; j++) c[i * f + j] += aik * b[k * f + j];
            }
        return c;
    }
}

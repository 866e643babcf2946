// Principal components of one class: mean, covariance eigenvalues (all D, decreasing) and the
// leading eigenvectors, from an exact eigendecomposition of the double-precision sample covariance
// (C = Xc^T Xc / (N - 1), as numpy.cov and ../shared/peers/pca_classmodel.py; Linalg/SymmetricEigen). Fitted once and
// shared by the PCA class models of every latent size.
using Latent.Models.Linalg;

namespace Latent.Models.Classical;

/// <summary>Principal components of one class.</summary>
public sealed class PcaBasis
{
    private PcaBasis(double[] mean, double[] eigenvalues, float[] components, int kept, int dim, double floor, ImageShape shape)
    {
        Shape = shape;
        Mean = mean;
        Eigenvalues = eigenvalues;
        Components = components;
        Kept = kept;
        Dim = dim;
        VarianceFloor = floor;
    }

    /// <summary>(D) class mean.</summary>
    public double[] Mean { get; }

    /// <summary>(D) covariance eigenvalues, decreasing, clamped at 0 (rounding can make the smallest slightly negative).</summary>
    public double[] Eigenvalues { get; }

    /// <summary>(Kept, D) row-major float32: row i is the i-th principal direction.</summary>
    public float[] Components { get; }

    public int Kept { get; }

    /// <summary>The geometry of the samples the basis was fitted on.</summary>
    public ImageShape Shape { get; }
    public int Dim { get; }

    /// <summary>
    /// Smallest variance a direction is given when scoring: 1e-6 of the mean eigenvalue. Directions in
    /// which the class does not vary at all (always-black pixels) would otherwise give infinite or
    /// NaN densities; with the floor they give large, finite novelty.
    /// </summary>
    public double VarianceFloor { get; }

    /// <summary>Fits the basis, keeping the <paramref name="maxLatent"/> leading directions.</summary>
    public static PcaBasis Fit(Samples train, int maxLatent)
    {
        int d = train.Dim;
        if (train.Count < 2) throw new ArgumentException($"PCA needs at least 2 training samples, got {train.Count}.");
        if (maxLatent < 1 || maxLatent >= d)
            throw new ArgumentOutOfRangeException(nameof(maxLatent), $"latent size {maxLatent} is out of range: PCA of {d}-dimensional data takes 1 to {d - 1}.");
        train.EnsureFinite("PCA training data");
        var (mean, cov) = Covariance.Compute(train.X, train.Count, d);
        var eig = SymmetricEigen.Leading(cov, d, maxLatent);
        var lam = eig.Values.Select(v => Math.Max(v, 0.0)).ToArray();
        var comps = new float[(long)maxLatent * d];
        for (int i = 0; i < maxLatent; i++)
        {
            ReadOnlySpan<double> v = eig.Vector(i);
            for (int j = 0; j < d; j++) comps[(long)i * d + j] = (float)v[j];
        }
        double floor = Math.Max(1e-6 * lam.Average(), 1e-12);
        return new PcaBasis(mean, lam, comps, maxLatent, d, floor, train.Shape);
    }

    /// <summary>A basis read back from a checkpoint (PcaEntry): the arrays as <see cref="Fit"/> made them.</summary>
    internal static PcaBasis FromState(double[] mean, double[] eigenvalues, float[] components, int kept, double floor, ImageShape shape)
    {
        int d = mean.Length;
        if (d < 2 || shape.Dim != d || eigenvalues.Length != d || components.Length != (long)kept * d || kept < 1 || kept >= d
            || !(floor > 0) || !double.IsFinite(floor) || eigenvalues.Any(v => !(v >= 0) || !double.IsFinite(v)) || mean.Any(v => !double.IsFinite(v)))
            throw new InvalidDataException($"the PCA state does not fit together ({d} means, {eigenvalues.Length} eigenvalues, {components.Length} component values for k = {kept}, floor {floor}).");
        return new PcaBasis(mean, eigenvalues, components, kept, d, floor, shape);
    }

    /// <summary>Variance of the isotropic residual when keeping k directions: mean of the D - k discarded eigenvalues (floored).</summary>
    public double ResidualVariance(int k)
    {
        double s = 0;
        for (int i = k; i < Dim; i++) s += Eigenvalues[i];
        return Math.Max(s / (Dim - k), VarianceFloor);
    }
}

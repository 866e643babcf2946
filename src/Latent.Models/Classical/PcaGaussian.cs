// PCA-Gaussian class model / probabilistic PCA (Tipping & Bishop 1999) with k latent dimensions.
// For x: xc = x - mean, z = U_k^T xc (U_k: the k leading eigenvectors), r = ||xc - U_k z||^2.
//   latent-nll = 0.5 * sum_i ( z_i^2 / lambda_i + log(2 pi lambda_i) )                       [nats]
//   recon      = r                                                  [squared pixel units, pixels in 0..1]
//   ppca       = latent-nll + 0.5 * ( r / s2 + (D - k) log(2 pi s2) ),  s2 = mean discarded eigenvalue  [nats]
// ppca is exactly the negative log density of x under N(mean, U_k diag(lambda) U_k^T + s2 (I - U_k U_k^T)),
// the maximum-likelihood PPCA model. Reference: ../shared/peers/pca_classmodel.py (same formulas).
using System.Numerics.Tensors;
using Latent.Tensors.Kernels;

namespace Latent.Models.Classical;

/// <summary>PCA-Gaussian class model / probabilistic PCA (Tipping &amp; Bishop 1999) with k latent dimensions.</summary>
public sealed class PcaGaussian : IClassModel, IReconstructor
{
    public static readonly ScoreInfo LatentNll = new("latent-nll", "0.5 * sum_i (z_i^2 / lambda_i + log(2 pi lambda_i)), z = U_k^T (x - mean)", "nats");
    public static readonly ScoreInfo Recon = new("recon", "||x - mean - U_k z||^2", "squared pixel units");
    public static readonly ScoreInfo Ppca = new("ppca", "latent-nll + 0.5 * (recon / s2 + (D - k) log(2 pi s2)), s2 = mean discarded eigenvalue", "nats");

    private readonly PcaBasis _basis;
    private readonly float[] _mean; // (D) the class mean in float32, as subtracted from every sample

    public PcaGaussian(PcaBasis basis, int k)
    {
        ArgumentNullException.ThrowIfNull(basis);
        if (k < 1 || k > basis.Kept)
            throw new ArgumentOutOfRangeException(nameof(k), $"latent size {k} is out of range 1..{basis.Kept} for this basis.");
        _basis = basis;
        _mean = basis.Mean.Select(v => (float)v).ToArray();
        Latent = k;
    }

    public string Name => "pca";

    /// <summary>The basis (shared by the models of every latent size fitted together).</summary>
    public PcaBasis Basis => _basis;
    public int? Latent { get; }
    public IReadOnlyList<ScoreInfo> Scores { get; } = [LatentNll, Recon, Ppca];

    public IReadOnlyDictionary<string, double[]> Score(Samples x)
    {
        int k = Latent!.Value, d = _basis.Dim, n = x.Count;
        if (x.Dim != d) throw new ArgumentException($"PCA model was fitted on {d}-dimensional samples, got {x.Dim}.");
        x.EnsureFinite("PCA input");
        var latent = new double[n];
        var recon = new double[n];
        var ppca = new double[n];
        var lam = new double[k];
        double logDetLatent = 0;
        for (int i = 0; i < k; i++)
        {
            lam[i] = Math.Max(_basis.Eigenvalues[i], _basis.VarianceFloor);
            logDetLatent += Math.Log(2 * Math.PI * lam[i]);
        }
        double s2 = _basis.ResidualVariance(k);
        double residualConst = (d - k) * Math.Log(2 * Math.PI * s2);

        const int Block = 512;
        var xc = new float[Block * d]; // (B, D)
        var z = new float[Block * k];  // (B, k)
        for (int b0 = 0; b0 < n; b0 += Block)
        {
            int bn = Math.Min(Block, n - b0);
            for (int i = 0; i < bn; i++)
                TensorPrimitives.Subtract(x.Row(b0 + i), _mean, xc.AsSpan(i * d, d));
            // z (B, k) = xc (B, D) * U_k^T ; U_k stored (k, D)
            Gemm.Sgemm(false, true, bn, k, d, 1f, xc, d, _basis.Components, d, 0f, z, k);
            // xc <- xc - z U_k : the residual, (B, D)
            Gemm.Sgemm(false, false, bn, d, k, -1f, z, k, _basis.Components, d, 1f, xc, d);
            for (int i = 0; i < bn; i++)
            {
                double a = logDetLatent;
                for (int c = 0; c < k; c++)
                {
                    double zc = z[i * k + c];
                    a += zc * zc / lam[c];
                }
                a *= 0.5;
                double r = 0;
                foreach (float v in xc.AsSpan(i * d, d)) r += (double)v * v;
                latent[b0 + i] = a;
                recon[b0 + i] = r;
                ppca[b0 + i] = a + 0.5 * (r / s2 + residualConst);
            }
        }
        return new Dictionary<string, double[]> { [LatentNll.Name] = latent, [Recon.Name] = recon, [Ppca.Name] = ppca };
    }

    /// <summary>(N, k) codes z = U_k^T (x - mean).</summary>
    public float[] Encode(Samples x)
    {
        int k = Latent!.Value, d = _basis.Dim;
        if (x.Dim != d) throw new ArgumentException($"PCA model was fitted on {d}-dimensional samples, got {x.Dim}.");
        var xc = Centre(x);
        var z = new float[x.Count * k];
        Gemm.Sgemm(false, true, x.Count, k, d, 1f, xc, d, _basis.Components, d, 0f, z, k);
        return z;
    }

    /// <summary>(N, D) reconstructions mean + U_k z.</summary>
    public float[] Reconstruct(Samples x)
    {
        int k = Latent!.Value, d = _basis.Dim;
        var z = Encode(x);
        var r = new float[x.Count * d];
        for (int i = 0; i < x.Count; i++) _mean.CopyTo(r.AsSpan(i * d, d));
        Gemm.Sgemm(false, false, x.Count, d, k, 1f, z, k, _basis.Components, d, 1f, r, d);
        return r;
    }

    private float[] Centre(Samples x)
    {
        int d = _basis.Dim;
        var xc = new float[x.Count * d];
        for (int i = 0; i < x.Count; i++) TensorPrimitives.Subtract(x.Row(i), _mean, xc.AsSpan(i * d, d));
        return xc;
    }
}

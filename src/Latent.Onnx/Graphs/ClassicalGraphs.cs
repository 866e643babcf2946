// The classical kinds as ONNX graphs, the same arithmetic as Models/Classical in the same precisions (float32 where the
// C# code uses float32, float64 where it accumulates in double):
//   PCA (PcaGaussian): xc = x - mean (float), z = xc U_k^T (N, k), xc - z U_k the residual,
//     recon = ||xc - z U_k||^2, latent-nll = 0.5 (sum_i z_i^2 / lambda_i + sum_i ln 2 pi lambda_i),
//     ppca = latent-nll + 0.5 (recon / s2 + (D - k) ln 2 pi s2); reconstruction = mean + z U_k.
//   Diagonal Gaussian: nll = 0.5 (sum_j (x_j - mu_j)^2 / v_j + sum_j ln 2 pi v_j) (in double, as the C# code).
using Latent.Models;
using Latent.Models.Classical;

namespace Latent.Onnx.Graphs;

internal static class ClassicalGraphs
{
    /// <summary>PCA's score <paramref name="score"/> of images (N, C, H, W), with z and the reconstruction.</summary>
    public static ExportedValues Pca(OnnxGraph g, PcaGaussian model, string images, string score)
    {
        PcaBasis basis = model.Basis;
        int k = model.Latent!.Value, d = basis.Dim;
        ImageShape shape = basis.Shape;
        string x = g.Node("Flatten", [images], null, OnnxGraph.Int("axis", 1));                  // (N, D)
        string mean = g.Weight(basis.Mean, d);
        string xc = g.Op("Sub", x, mean);
        string u = g.Weight(basis.Components.AsSpan(0, k * d), k, d);                           // (k, D)
        string z = g.Node("Gemm", [xc, u], null, OnnxGraph.Int("transB", 1));                   // (N, k)
        string proj = g.Op("MatMul", z, u);                                                     // (N, D)
        string reconstruction = g.Op("Reshape", g.Op("Add", proj, mean), g.Int64s(-1, shape.Channels, shape.Height, shape.Width));
        var lam = new double[k];
        double logDetLatent = 0;
        for (int i = 0; i < k; i++)
        {
            lam[i] = Math.Max(basis.Eigenvalues[i], basis.VarianceFloor);
            logDetLatent += Math.Log(2 * Math.PI * lam[i]);
        }
        string Recon() => g.SumOfSquares(g.Op("Sub", xc, proj), 1);
        string Latent()
        {
            string zd = g.ToDouble(z);
            string q = g.Sum(g.Op("Div", g.Op("Mul", zd, zd), g.Double(lam, k)), 1);
            return g.Op("Mul", g.Op("Add", q, g.Double(logDetLatent)), g.Double(0.5));
        }
        string value = score switch
        {
            "recon" => Recon(),
            "latent-nll" => Latent(),
            "ppca" => Ppca(g, Latent(), Recon(), basis.ResidualVariance(k), (d - k) * Math.Log(2 * Math.PI * basis.ResidualVariance(k))),
            _ => throw new ArgumentException($"PCA has no score '{score}'."),
        };
        return new ExportedValues(value, z, k, reconstruction);
    }

    private static string Ppca(OnnxGraph g, string latent, string recon, double s2, double residualConst) =>
        g.Op("Add", latent, g.Op("Mul", g.Op("Add", g.Op("Div", recon, g.Double(s2)), g.Double(residualConst)), g.Double(0.5)));

    /// <summary>The diagonal Gaussian's nll of images (N, C, H, W).</summary>
    public static ExportedValues Gaussian(OnnxGraph g, DiagonalGaussian model, string images, string score)
    {
        if (score != DiagonalGaussian.Nll.Name) throw new ArgumentException($"the diagonal Gaussian has no score '{score}'.");
        int d = model.Mean.Length;
        double logNorm = 0;
        foreach (double v in model.Variance) logNorm += Math.Log(2 * Math.PI * v);
        string x = g.ToDouble(g.Node("Flatten", [images], null, OnnxGraph.Int("axis", 1)));     // (N, D) float64
        string e = g.Op("Sub", x, g.Double(model.Mean, d));
        string q = g.Sum(g.Op("Div", g.Op("Mul", e, e), g.Double(model.Variance, d)), 1);
        return new ExportedValues(g.Op("Mul", g.Op("Add", q, g.Double(logNorm)), g.Double(0.5)), null, 0, null);
    }
}

// From 8-bit images to the real space a flow models, with every change of variables accounted (Dinh et al. 2017,
// sec. 4.1; Papamakarios et al. 2017, sec. 4.2; Theis et al. 2016 for the bound):
//   k in {0..255}^D   the image (x = k / 255, EightBitImages)
//   y = (k + u) / 256 uniform dequantisation, u in [0, 1)^D, y in [0, 1)^D
//   s = alpha + (1 - 2 alpha) y,  l = logit(s) = ln s - ln(1 - s)       the logit transform, l in R^D
// For a density p_L on R^D, p_Y(y) = p_L(l) prod_i (1 - 2 alpha) / (s_i (1 - s_i)), and the discrete model
// P(k) = int_[0,1)^D p_Y((k + u) / 256) 256^-D du satisfies, by Jensen,
//   -ln P(k) <= E_u [ -ln p_L(l) - sum_i ln((1 - 2 alpha) / (s_i (1 - s_i))) ] + D ln 256,
// the figure the flow papers report in bits per dimension. Training draws u afresh for every image; scoring uses one
// fixed draw u* (ScoreNoise: a seeded (D) vector shared by every image), so a score never depends on the batch, and
// reports the single-draw estimate of the bound.
// This file holds the span kernels: no gradient flows into the data.
using Latent.Tensors;

namespace Latent.Models.Flows;

/// <summary>From 8-bit images to the real space a flow models, with every change of variables accounted (Dinh et al. 2017, sec. 4.1; Papamakarios et al. 2017, sec. 4.2; Theis et al. 2016 for the bound).</summary>
public static class Dequantisation
{
    /// <summary>Seed of the fixed dequantisation noise u* of scores.</summary>
    public const ulong ScoreSeed = 256;

    private static readonly double Ln256 = Math.Log(256);

    /// <summary>
    /// l = logit(alpha + (1 - 2 alpha) (k + u) / 256) for levels k (N D) and noise u (N D, or D shared by every row);
    /// returns per row -sum_i ln(dl_i/dy_i) + D ln 256, the nats to add to -ln p_L(l) for the bound on -ln P(k).
    /// </summary>
    public static double[] Forward(Span<float> l, ReadOnlySpan<byte> k, ReadOnlySpan<float> u, int dim, float alpha)
    {
        if (l.Length != k.Length || (u.Length != k.Length && u.Length != dim) || dim < 1 || l.Length % dim != 0)
            throw new ArgumentException($"dequantisation buffers disagree: {k.Length} levels, {u.Length} noise values, {l.Length} outputs, D = {dim}.");
        int n = k.Length / dim;
        var extra = new double[n];
        double scale = 1 - 2.0 * alpha;
        for (int r = 0; r < n; r++)
        {
            double acc = dim * Ln256;
            for (int i = 0; i < dim; i++)
            {
                int j = r * dim + i;
                double y = (k[j] + u[u.Length == dim ? i : j]) / 256.0;
                double s = alpha + scale * y;
                l[j] = (float)(Math.Log(s) - Math.Log(1 - s));
                acc -= Math.Log(scale) - Math.Log(s) - Math.Log(1 - s);           // - ln dl/dy
            }
            extra[r] = acc;
        }
        return extra;
    }

    /// <summary>The inverse for samples: x = clamp(floor(256 y), 0, 255) / 255 with y = (sigmoid(l) - alpha) / (1 - 2 alpha).</summary>
    public static void Inverse(Span<float> x, ReadOnlySpan<float> l, float alpha)
    {
        if (x.Length != l.Length) throw new ArgumentException($"{x.Length} outputs for {l.Length} values.");
        for (int i = 0; i < l.Length; i++)
        {
            double s = 1 / (1 + Math.Exp(-(double)l[i]));
            double y = (s - alpha) / (1 - 2.0 * alpha);
            x[i] = Math.Clamp((int)Math.Floor(256 * y), 0, 255) / 255f;
        }
    }

    /// <summary>The fixed noise u* (D values in [0, 1)) of scores.</summary>
    public static float[] ScoreNoise(int dim)
    {
        var u = new float[dim];
        var rng = new Rng(ScoreSeed);
        for (int i = 0; i < dim; i++) u[i] = rng.NextFloat();
        return u;
    }
}

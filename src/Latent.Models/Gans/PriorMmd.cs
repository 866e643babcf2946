// WAE-MMD's prior-matching penalty (Tolstikhin et al. 2018, Wasserstein Auto-Encoders, algorithm 2 and their code):
// the unbiased squared maximum mean discrepancy between a batch of codes q = E(x) and a batch of prior draws p, with
// the inverse multiquadratic kernel k(a, b) = C / (C + ||a - b||^2) summed over the scales C = 2 Z s, s in Scales
// (the prior's variance 1):
//   MMD^2 = sum_{i != j} [k(p_i, p_j) + k(q_i, q_j)] / (N (N - 1))  -  2 sum_{i, j} k(p_i, q_j) / N^2
// Used by the BiGAN (GanOptions.PriorWeight) to pull E's codes of the training class to N(0, I), which its joint
// discriminator is meant to do but does not once it saturates; latent-nll = -log N(E(x); 0, I) needs it.
// k = 1 / (1 + d^2 / C) is computed as exp(-log(1 + d^2 / C)); the pairwise d^2 as ||a||^2 + ||b||^2 - 2 a.b, clamped at 0.
using Latent.Tensors;

namespace Latent.Models.Gans;

/// <summary>WAE-MMD's prior-matching penalty (Tolstikhin et al. 2018): the unbiased squared MMD between codes and prior draws, inverse multiquadratic kernel over several scales.</summary>
public static class PriorMmd
{
    /// <summary>The kernel scales s of C = 2 Z s (the WAE code's).</summary>
    public static readonly float[] Scales = [0.1f, 0.2f, 0.5f, 1f, 2f, 5f, 10f];

    /// <summary>MMD^2 between codes q and prior draws p, both (N, Z) with N >= 2: a scalar tensor.</summary>
    public static Tensor Mmd(Tensor q, Tensor p)
    {
        ArgumentNullException.ThrowIfNull(q);
        ArgumentNullException.ThrowIfNull(p);
        if (q.Rank != 2 || p.Rank != 2 || q.Dim(0) != p.Dim(0) || q.Dim(1) != p.Dim(1) || q.Dim(0) < 2)
            throw new ArgumentException($"MMD needs two (N >= 2, Z) batches of one shape, got {Tensor.ShapeString(q.Shape)} and {Tensor.ShapeString(p.Shape)}.");
        int n = q.Dim(0), z = q.Dim(1);
        Tensor qq = SquaredDistances(q, q), pp = SquaredDistances(p, p), pq = SquaredDistances(p, q);   // (N, N) each
        Tensor? total = null;
        foreach (float s in Scales)
        {
            float c = 2f * z * s;
            // the diagonals of k(p, p) and k(q, q) are 1 (d^2 = 0): 2 N of them leave the sums
            Tensor within = (Kernel(pp, c).Sum() + Kernel(qq, c).Sum() - 2f * n) * (1f / (n * (n - 1f)));
            Tensor term = within - Kernel(pq, c).Sum() * (2f / ((float)n * n));
            total = total is null ? term : total + term;
        }
        return total!;
    }

    /// <summary>||a_i - b_j||^2: (N, Z), (M, Z) -> (N, M), clamped at 0 against rounding.</summary>
    private static Tensor SquaredDistances(Tensor a, Tensor b)
    {
        Tensor a2 = a.Square().Sum(1, keepDim: true);                      // (N, 1)
        Tensor b2 = b.Square().Sum(1).Reshape(1, b.Dim(0));                // (1, M)
        return (Tensor.MatMul(a, b, transposeB: true) * -2f + a2 + b2).Clamp(0f, float.MaxValue);
    }

    /// <summary>C / (C + d^2) elementwise.</summary>
    private static Tensor Kernel(Tensor d2, float c) => (-(d2 * (1f / c) + 1f).Log()).Exp();
}

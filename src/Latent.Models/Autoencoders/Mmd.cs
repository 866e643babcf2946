// Maximum mean discrepancy between two batches of codes with the inverse multiquadric kernel, as in the WAE paper
// (Tolstikhin et al. 2018, section 4 and their code): k(a, b) = C / (C + ||a - b||^2), summed over the scales
// C = s 2 Z sigma^2, s in {0.1, 0.2, 0.5, 1, 2, 5, 10}, sigma^2 = 1 (the prior's variance). Unbiased estimate:
//   MMD^2 = 1/(n(n-1)) sum_{i != j} [k(p_i, p_j) + k(q_i, q_j)] - 2/n^2 sum_{i, j} k(p_i, q_j)
// with ||a_i - b_j||^2 = ||a_i||^2 + ||b_j||^2 - 2 a_i . b_j (one matrix product). The WAE's penalty, and the BiGAN's
// --prior-weight term pulling E(x) to N(0, I) (GanOptions.PriorWeight).
using Latent.Tensors;

namespace Latent.Models.Autoencoders;

/// <summary>Maximum mean discrepancy between two batches of codes with the inverse multiquadric kernel, as in the WAE paper (Tolstikhin et al. 2018, section 4 and their code).</summary>
public static class Mmd
{
    /// <summary>The kernel scales s of C = s 2 Z sigma^2.</summary>
    public static IReadOnlyList<float> Scales { get; } = [0.1f, 0.2f, 0.5f, 1f, 2f, 5f, 10f];

    /// <summary>MMD^2 estimate (a scalar) between prior samples p (N, Z) and codes q (N, Z).</summary>
    public static Tensor InverseMultiquadric(Tensor p, Tensor q)
    {
        ArgumentNullException.ThrowIfNull(p);
        ArgumentNullException.ThrowIfNull(q);
        if (p.Rank != 2 || !p.Shape.SequenceEqual(q.Shape) || p.Dim(0) < 2)
            throw new ArgumentException($"MMD needs two (N, Z) batches of the same shape with N >= 2, got {Tensor.ShapeString(p.Shape)} and {Tensor.ShapeString(q.Shape)}.");
        int n = p.Dim(0), z = p.Dim(1);
        Tensor dpp = SquaredDistances(p, p), dqq = SquaredDistances(q, q), dpq = SquaredDistances(p, q);
        Tensor total = Tensor.Scalar(0f);
        foreach (float s in Scales)
        {
            float c = s * 2f * z;
            // the diagonals of k(p, p) and k(q, q) are C / C = 1: subtract them as constants
            Tensor same = (Kernel(dpp, c).Sum() + Kernel(dqq, c).Sum() - 2f * n) * (1f / (n * (n - 1f)));
            Tensor cross = Kernel(dpq, c).Sum() * (2f / ((float)n * n));
            total = total + same - cross;
        }
        return total;
    }

    /// <summary>||a_i - b_j||^2 (N, N) for a, b (N, Z).</summary>
    private static Tensor SquaredDistances(Tensor a, Tensor b)
    {
        int n = a.Dim(0);
        Tensor sa = a.Square().Sum(1).Reshape(n, 1);                         // (N, 1) column
        Tensor sb = b.Square().Sum(1);                                       // (N) row
        return Tensor.MatMul(a, b, transposeB: true) * -2f + sa + sb;
    }

    private static Tensor Kernel(Tensor d, float c) => Tensor.Full(c, d.ShapeArray()) / (d + c);
}

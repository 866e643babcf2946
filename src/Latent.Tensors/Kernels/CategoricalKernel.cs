// Cross-entropy of a categorical over the channel axis, per position (torch.nn.functional.cross_entropy on
// (N, L, P) logits with (N, P) integer targets, reduction "none"): the 256-way softmax output of PixelCNN.
//
//   nll[n, p] = logsumexp_l z[n, l, p] - z[n, label[n, p], p]
//   dz[n, l, p] += dnll[n, p] (softmax_l z[n, :, p] - [l = label[n, p]])
//
// Legend: N rows (images x image channels), L levels (classes), P positions (H W). The level axis has stride P, so
// both passes run over whole planes z[n, l, :] (contiguous, vectorised) and keep a running max / sum per position.
// The forward keeps lse[n, p] for the backward, which recomputes softmax = exp(z - lse) without a second max pass.
using System.Numerics.Tensors;

namespace Latent.Tensors.Kernels;

/// <summary>Cross-entropy of a categorical over the channel axis, per position (torch.nn.functional.cross_entropy on (N, L, P) logits with (N, P) integer targets, reduction "none").</summary>
public static class CategoricalKernel
{
    /// <summary>nll (N, P) and lse (N, P) of logits z (N, L, P) against labels (N, P), each in [0, L).</summary>
    public static void CrossEntropyForward(ReadOnlySpan<float> z, ReadOnlySpan<int> labels, Span<float> nll, Span<float> lse, int n, int levels, int positions)
    {
        Check(z.Length, labels.Length, nll.Length, lse.Length, n, levels, positions);
        float[] tmp = new float[positions];
        for (int r = 0; r < n; r++)
        {
            ReadOnlySpan<float> zr = z.Slice(r * levels * positions, levels * positions);
            Span<float> m = lse.Slice(r * positions, positions), s = tmp;
            zr[..positions].CopyTo(m);
            for (int l = 1; l < levels; l++) TensorPrimitives.Max(m, zr.Slice(l * positions, positions), m);   // m = max_l z
            s.Clear();
            Span<float> e = nll.Slice(r * positions, positions);                                             // scratch
            for (int l = 0; l < levels; l++)
            {
                TensorPrimitives.Subtract(zr.Slice(l * positions, positions), m, e);
                TensorPrimitives.Exp(e, e);
                TensorPrimitives.Add(s, e, s);                                                                // s = sum_l exp(z - m)
            }
            TensorPrimitives.Log(s, s);
            TensorPrimitives.Add(m, s, m);                                                                    // lse = m + ln s
            for (int p = 0; p < positions; p++)
            {
                int k = labels[r * positions + p];
                if ((uint)k >= (uint)levels) throw new ArgumentOutOfRangeException(nameof(labels), $"label {k} at row {r}, position {p} is outside [0, {levels}).");
                e[p] = m[p] - zr[k * positions + p];
            }
        }
    }

    /// <summary>dz (N, L, P) += dnll (softmax(z) - onehot(label)), from the forward's lse.</summary>
    public static void CrossEntropyBackward(ReadOnlySpan<float> z, ReadOnlySpan<int> labels, ReadOnlySpan<float> lse, ReadOnlySpan<float> dNll, Span<float> dz,
        int n, int levels, int positions)
    {
        Check(z.Length, labels.Length, dNll.Length, lse.Length, n, levels, positions);
        if (dz.Length != z.Length) throw new ArgumentException($"dz has {dz.Length} values, z has {z.Length}.");
        float[] e = new float[positions];
        for (int r = 0; r < n; r++)
        {
            int o = r * levels * positions;
            ReadOnlySpan<float> lr = lse.Slice(r * positions, positions), dy = dNll.Slice(r * positions, positions);
            for (int l = 0; l < levels; l++)
            {
                Span<float> dzl = dz.Slice(o + l * positions, positions);
                TensorPrimitives.Subtract(z.Slice(o + l * positions, positions), lr, e);
                TensorPrimitives.Exp(e, e);                                                                   // softmax_l
                TensorPrimitives.MultiplyAdd(e, dy, dzl, dzl);
            }
            for (int p = 0; p < positions; p++) dz[o + labels[r * positions + p] * positions + p] -= dy[p];
        }
    }

    private static void Check(int z, int labels, int nll, int lse, int n, int levels, int positions)
    {
        if (n < 0 || levels < 1 || positions < 1) throw new ArgumentException($"categorical cross-entropy needs N >= 0, L >= 1, P >= 1; got {n}, {levels}, {positions}.");
        long np = (long)n * positions;
        if (z != np * levels || labels != np || nll != np || lse != np)
            throw new ArgumentException($"categorical cross-entropy: z {z}, labels {labels}, nll {nll}, lse {lse} values do not fit N {n}, L {levels}, P {positions}.");
    }
}

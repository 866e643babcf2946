// Fused loss kernels (forward/backward pairs) where composing primitives would be unstable.
//
// Binary cross-entropy with logits, per element (torch.nn.functional.binary_cross_entropy_with_logits,
// reduction "none"): l = -[t ln s(x) + (1 - t) ln(1 - s(x))] with s the sigmoid. Composing log(sigmoid(x))
// from primitives overflows/underflows for |x| > ~88 and loses all precision for |x| > ~17 (sigmoid rounds
// to 1), so it is one primitive in the stable form  l = max(x, 0) - x t + ln(1 + exp(-|x|)),  and its
// gradient  dl/dx = s(x) - t  never forms ln of 0.
using System.Numerics.Tensors;

namespace Latent.Tensors.Kernels;

/// <summary>Fused loss kernels (forward/backward pairs) where composing primitives would be unstable.</summary>
public static class Losses
{
    /// <summary>loss = max(x, 0) - x t + ln(1 + exp(-|x|)); an empty <paramref name="t"/> means t = 0 (softplus).</summary>
    public static void BceWithLogitsForward(ReadOnlySpan<float> x, ReadOnlySpan<float> t, Span<float> loss)
    {
        Activations.Same(x.Length, loss.Length);
        if (!t.IsEmpty) Activations.Same(x.Length, t.Length);
        Span<float> e = stackalloc float[Activations.Chunk];      // L1-resident chunks: every pass is vectorised
        for (int i = 0; i < x.Length; i += Activations.Chunk)
        {
            int len = Math.Min(Activations.Chunk, x.Length - i);
            ReadOnlySpan<float> xi = x.Slice(i, len);
            Span<float> ei = e[..len], li = loss.Slice(i, len);
            TensorPrimitives.Abs(xi, ei);
            TensorPrimitives.Negate(ei, ei);
            TensorPrimitives.Exp(ei, ei);
            TensorPrimitives.Add(ei, 1f, ei);
            TensorPrimitives.Log(ei, ei);                         // ln(1 + e^-|x|)
            TensorPrimitives.Max(xi, 0f, li);
            TensorPrimitives.Add(li, ei, li);                     // max(x, 0) + ln(1 + e^-|x|)
            if (!t.IsEmpty)
            {
                TensorPrimitives.Multiply(xi, t.Slice(i, len), ei);
                TensorPrimitives.Subtract(li, ei, li);            // - x t
            }
        }
    }

    /// <summary>dx += dy * (sigmoid(x) - t); when <paramref name="dt"/> is not empty also dt += -dy * x.</summary>
    public static void BceWithLogitsBackward(ReadOnlySpan<float> x, ReadOnlySpan<float> t, ReadOnlySpan<float> dy, Span<float> dx, Span<float> dt)
    {
        Activations.Same(x.Length, t.Length, dy.Length);
        if (!dx.IsEmpty)
        {
            Activations.Same(x.Length, dx.Length);
            Span<float> s = stackalloc float[Activations.Chunk];
            for (int i = 0; i < x.Length; i += Activations.Chunk)
            {
                int len = Math.Min(Activations.Chunk, x.Length - i);
                Span<float> si = s[..len];
                TensorPrimitives.Sigmoid(x.Slice(i, len), si);
                TensorPrimitives.Subtract(si, t.Slice(i, len), si);
                TensorPrimitives.MultiplyAdd(si, dy.Slice(i, len), dx.Slice(i, len), dx.Slice(i, len));
            }
        }
        if (!dt.IsEmpty)
        {
            Activations.Same(x.Length, dt.Length);
            for (int i = 0; i < x.Length; i++) dt[i] -= dy[i] * x[i];
        }
    }
}

// Reduction kernels and their backward (broadcast) pairs over a tensor viewed as (outer, dim, inner):
// reducing axis a of shape (d0..dr) has outer = d0*..*d(a-1), dim = da, inner = d(a+1)*..*dr.
// Row-wise log-sum-exp and log-softmax (over the last axis, (N, F) -> (N) / (N, F)) subtract the row
// maximum first, so exp never overflows (reference: torch.logsumexp, torch.log_softmax).
// Summation order is fixed (no parallel partial sums here), so results are bit-reproducible.
using System.Numerics.Tensors;

namespace Latent.Tensors.Kernels;

/// <summary>Reduction kernels and their backward (broadcast) pairs over a tensor viewed as (outer, dim, inner): reducing axis a of shape (d0..dr) has outer = d0*..*d(a-1), dim = da, inner = d(a+1)*..*dr.</summary>
public static class Reductions
{
    /// <summary>y[o, i] = scale * sum_d x[o, d, i]. x (outer, dim, inner), y (outer, inner).</summary>
    public static void SumAxisForward(ReadOnlySpan<float> x, int outer, int dim, int inner, float scale, Span<float> y)
    {
        Check(x.Length, outer, dim, inner, y.Length);
        for (int o = 0; o < outer; o++)
        {
            Span<float> yo = y.Slice(o * inner, inner);
            ReadOnlySpan<float> xo = x.Slice(o * dim * inner, dim * inner);
            if (inner == 1) { yo[0] = scale * TensorPrimitives.Sum(xo); continue; }
            yo.Clear();
            for (int d = 0; d < dim; d++) TensorPrimitives.Add(yo, xo.Slice(d * inner, inner), yo);
            if (scale != 1f) TensorPrimitives.Multiply(yo, scale, yo);
        }
    }

    /// <summary>dx[o, d, i] += scale * dy[o, i]: the backward of <see cref="SumAxisForward"/>.</summary>
    public static void SumAxisBackward(ReadOnlySpan<float> dy, int outer, int dim, int inner, float scale, Span<float> dx)
    {
        Check(dx.Length, outer, dim, inner, dy.Length);
        for (int o = 0; o < outer; o++)
        {
            ReadOnlySpan<float> dyo = dy.Slice(o * inner, inner);
            Span<float> dxo = dx.Slice(o * dim * inner, dim * inner);
            if (inner == 1) { TensorPrimitives.Add(dxo, scale * dyo[0], dxo); continue; }
            for (int d = 0; d < dim; d++)
            {
                Span<float> r = dxo.Slice(d * inner, inner);
                TensorPrimitives.MultiplyAdd(dyo, scale, r, r);
            }
        }
    }

    /// <summary>y[n] = ln sum_f exp(x[n, f]), stably. x (N, F), y (N).</summary>
    public static void LogSumExpRowsForward(ReadOnlySpan<float> x, int rows, int cols, Span<float> y)
    {
        Check(x.Length, rows, cols, 1, y.Length);
        Span<float> e = stackalloc float[Activations.Chunk];
        for (int n = 0; n < rows; n++)
        {
            ReadOnlySpan<float> xn = x.Slice(n * cols, cols);
            float m = cols == 0 ? float.NegativeInfinity : TensorPrimitives.Max(xn);
            if (float.IsNegativeInfinity(m)) { y[n] = m; continue; }
            double s = 0;
            for (int j = 0; j < cols; j += Activations.Chunk)
            {
                int len = Math.Min(Activations.Chunk, cols - j);
                TensorPrimitives.Subtract(xn.Slice(j, len), m, e[..len]);
                TensorPrimitives.Exp(e[..len], e[..len]);
                s += TensorPrimitives.Sum(e[..len]);
            }
            y[n] = m + (float)Math.Log(s);
        }
    }

    /// <summary>dx[n, f] += dy[n] * exp(x[n, f] - y[n]) (softmax weights).</summary>
    public static void LogSumExpRowsBackward(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, int rows, int cols, Span<float> dx)
    {
        Check(x.Length, rows, cols, 1, y.Length);
        Check(dx.Length, rows, cols, 1, dy.Length);
        for (int n = 0; n < rows; n++)
            for (int f = 0; f < cols; f++)
                dx[n * cols + f] += dy[n] * MathF.Exp(x[n * cols + f] - y[n]);
    }

    /// <summary>y[n, f] = x[n, f] - logsumexp(x[n, :]), computed as (x - m) - ln sum exp(x - m) with m the row
    /// maximum (as torch does), so a large m does not cost precision. x, y (N, F).</summary>
    public static void LogSoftmaxRowsForward(ReadOnlySpan<float> x, int rows, int cols, Span<float> y)
    {
        Activations.Same(x.Length, y.Length);
        Check(x.Length, rows, cols, 1, rows);
        Span<float> e = stackalloc float[Activations.Chunk];
        for (int n = 0; n < rows; n++)
        {
            ReadOnlySpan<float> xn = x.Slice(n * cols, cols);
            Span<float> yn = y.Slice(n * cols, cols);
            if (cols == 0) continue;
            float m = TensorPrimitives.Max(xn);
            TensorPrimitives.Subtract(xn, m, yn);                 // x - m
            double s = 0;
            for (int j = 0; j < cols; j += Activations.Chunk)
            {
                int len = Math.Min(Activations.Chunk, cols - j);
                TensorPrimitives.Exp(yn.Slice(j, len), e[..len]);
                s += TensorPrimitives.Sum(e[..len]);
            }
            TensorPrimitives.Subtract(yn, (float)Math.Log(s), yn);
        }
    }

    /// <summary>dx[n, f] += dy[n, f] - exp(y[n, f]) * sum_g dy[n, g].</summary>
    public static void LogSoftmaxRowsBackward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, int rows, int cols, Span<float> dx)
    {
        Activations.Same(y.Length, dy.Length, dx.Length);
        if (y.Length != rows * cols) throw new ArgumentException($"Expected {rows} x {cols} elements, got {y.Length}.");
        for (int n = 0; n < rows; n++)
        {
            ReadOnlySpan<float> yn = y.Slice(n * cols, cols), dyn = dy.Slice(n * cols, cols);
            Span<float> dxn = dx.Slice(n * cols, cols);
            float s = TensorPrimitives.Sum(dyn);
            for (int f = 0; f < cols; f++) dxn[f] += dyn[f] - MathF.Exp(yn[f]) * s;
        }
    }

    private static void Check(int xLen, int outer, int dim, int inner, int yLen)
    {
        if (outer < 0 || dim < 0 || inner < 0 || (long)outer * dim * inner != xLen || (long)outer * inner != yLen)
            throw new ArgumentException($"Reduction sizes outer={outer} dim={dim} inner={inner} do not match spans of {xLen} and {yLen} elements.");
    }
}

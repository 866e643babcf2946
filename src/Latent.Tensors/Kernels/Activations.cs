// Element-wise activation and unary-function kernels as forward/backward pairs (llm.c style).
// Forward: (x) -> y. Backward ADDS into dx (gradients accumulate), reading whichever of x or y the
// derivative needs; the ReLU pair can also write a first gradient (accumulate: false, dx not read). All spans have
// the same length (checked once); nothing is allocated.
// Reference: torch.nn.functional relu / leaky_relu / sigmoid / tanh / softplus (beta 1, no threshold).
using System.Numerics;
using System.Numerics.Tensors;

namespace Latent.Tensors.Kernels;

/// <summary>Element-wise activation and unary-function kernels as forward/backward pairs; backward adds into dx.</summary>
public static partial class Activations
{
    /// <summary>y = max(x, 0).</summary>
    public static unsafe void ReluForward(ReadOnlySpan<float> x, Span<float> y)
    {
        Same(x.Length, y.Length);
        fixed (float* px = x, py = y) Run(Op.Relu, px, py, null, 0f, x.Length);
    }

    /// <summary>dx += dy * [y > 0]; with <paramref name="accumulate"/> false, dx = dy * [y > 0] (dx not read: a first
    /// gradient in uninitialised storage).</summary>
    public static unsafe void ReluBackward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx, bool accumulate = true)
    {
        Same(y.Length, dy.Length, dx.Length);
        fixed (float* py = y, pdy = dy, pdx = dx) Run(accumulate ? Op.ReluBackward : Op.ReluBackwardWrite, py, pdy, pdx, 0f, y.Length);
    }

    private static void ReluBackwardRange(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx, bool add)
    {
        int i = 0, n = y.Length, w = Vector<float>.Count;
        for (; i <= n - w; i += w)
        {
            var g = Vector.ConditionalSelect(Vector.GreaterThan(new Vector<float>(y.Slice(i)), Vector<float>.Zero), new Vector<float>(dy.Slice(i)), Vector<float>.Zero);
            (add ? new Vector<float>(dx.Slice(i)) + g : g).CopyTo(dx.Slice(i));
        }
        for (; i < n; i++) dx[i] = (add ? dx[i] : 0f) + (y[i] > 0f ? dy[i] : 0f);
    }

    /// <summary>y = x if x > 0 else slope * x.</summary>
    public static unsafe void LeakyReluForward(ReadOnlySpan<float> x, float slope, Span<float> y)
    {
        Same(x.Length, y.Length);
        fixed (float* px = x, py = y) Run(Op.LeakyRelu, px, py, null, slope, x.Length);
    }

    private static void LeakyReluForwardRange(ReadOnlySpan<float> x, float slope, Span<float> y)
    {
        int i = 0, n = x.Length, w = Vector<float>.Count;
        var s = new Vector<float>(slope);
        for (; i <= n - w; i += w)
        {
            var vx = new Vector<float>(x.Slice(i));
            Vector.ConditionalSelect(Vector.GreaterThan(vx, Vector<float>.Zero), vx, vx * s).CopyTo(y.Slice(i));
        }
        for (; i < n; i++) y[i] = x[i] > 0f ? x[i] : slope * x[i];
    }

    /// <summary>dx += dy * (x > 0 ? 1 : slope); with <paramref name="accumulate"/> false, dx = dy * (x > 0 ? 1 : slope)
    /// (dx not read).</summary>
    public static unsafe void LeakyReluBackward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, float slope, Span<float> dx, bool accumulate = true)
    {
        Same(x.Length, dy.Length, dx.Length);
        fixed (float* px = x, pdy = dy, pdx = dx) Run(accumulate ? Op.LeakyReluBackward : Op.LeakyReluBackwardWrite, px, pdy, pdx, slope, x.Length);
    }

    private static void LeakyReluBackwardRange(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, float slope, Span<float> dx, bool add)
    {
        int i = 0, n = x.Length, w = Vector<float>.Count;
        var s = new Vector<float>(slope);
        for (; i <= n - w; i += w)
        {
            var vdy = new Vector<float>(dy.Slice(i));
            var g = Vector.ConditionalSelect(Vector.GreaterThan(new Vector<float>(x.Slice(i)), Vector<float>.Zero), vdy, vdy * s);
            (add ? new Vector<float>(dx.Slice(i)) + g : g).CopyTo(dx.Slice(i));
        }
        for (; i < n; i++) dx[i] = (add ? dx[i] : 0f) + (x[i] > 0f ? dy[i] : slope * dy[i]);
    }

    /// <summary>y = 1 / (1 + exp(-x)).</summary>
    public static void SigmoidForward(ReadOnlySpan<float> x, Span<float> y)
    {
        Same(x.Length, y.Length);
        TensorPrimitives.Sigmoid(x, y);
    }

    /// <summary>dx += dy * y * (1 - y).</summary>
    public static void SigmoidBackward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx)
    {
        Same(y.Length, dy.Length, dx.Length);
        int i = 0, n = y.Length, w = Vector<float>.Count;
        for (; i <= n - w; i += w)
        {
            var vy = new Vector<float>(y.Slice(i));
            (new Vector<float>(dx.Slice(i)) + new Vector<float>(dy.Slice(i)) * vy * (Vector<float>.One - vy)).CopyTo(dx.Slice(i));
        }
        for (; i < n; i++) dx[i] += dy[i] * y[i] * (1f - y[i]);
    }

    /// <summary>y = tanh(x).</summary>
    public static void TanhForward(ReadOnlySpan<float> x, Span<float> y)
    {
        Same(x.Length, y.Length);
        TensorPrimitives.Tanh(x, y);
    }

    /// <summary>dx += dy * (1 - y^2).</summary>
    public static void TanhBackward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx)
    {
        Same(y.Length, dy.Length, dx.Length);
        int i = 0, n = y.Length, w = Vector<float>.Count;
        for (; i <= n - w; i += w)
        {
            var vy = new Vector<float>(y.Slice(i));
            (new Vector<float>(dx.Slice(i)) + new Vector<float>(dy.Slice(i)) * (Vector<float>.One - vy * vy)).CopyTo(dx.Slice(i));
        }
        for (; i < n; i++) dx[i] += dy[i] * (1f - y[i] * y[i]);
    }

    /// <summary>y = ln(1 + exp(x)), computed as max(x, 0) + ln(1 + exp(-|x|)) so that large |x| neither
    /// overflows exp nor loses the linear part.</summary>
    public static void SoftplusForward(ReadOnlySpan<float> x, Span<float> y)
    {
        Same(x.Length, y.Length);
        Losses.BceWithLogitsForward(x, default, y);
    }

    /// <summary>dx += dy * sigmoid(x).</summary>
    public static void SoftplusBackward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx)
    {
        Same(x.Length, dy.Length, dx.Length);
        Span<float> s = stackalloc float[Chunk];
        for (int i = 0; i < x.Length; i += Chunk)
        {
            int len = Math.Min(Chunk, x.Length - i);
            Span<float> si = s[..len];
            TensorPrimitives.Sigmoid(x.Slice(i, len), si);
            TensorPrimitives.MultiplyAdd(si, dy.Slice(i, len), dx.Slice(i, len), dx.Slice(i, len));
        }
    }

    /// <summary>dx += dy * y (derivative of y = exp x).</summary>
    public static void ExpBackward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx)
    {
        Same(y.Length, dy.Length, dx.Length);
        TensorPrimitives.MultiplyAdd(dy, y, dx, dx);
    }

    /// <summary>dx += dy / x (derivative of y = ln x).</summary>
    public static void LogBackward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx)
    {
        Same(x.Length, dy.Length, dx.Length);
        for (int i = 0; i < x.Length; i++) dx[i] += dy[i] / x[i];
    }

    /// <summary>dx += dy * 0.5 / y (derivative of y = sqrt x).</summary>
    public static void SqrtBackward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx)
    {
        Same(y.Length, dy.Length, dx.Length);
        for (int i = 0; i < y.Length; i++) dx[i] += 0.5f * dy[i] / y[i];
    }

    /// <summary>dx += 2 x dy (derivative of y = x^2).</summary>
    public static void SquareBackward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx)
    {
        Same(x.Length, dy.Length, dx.Length);
        int i = 0, n = x.Length, w = Vector<float>.Count;
        var two = new Vector<float>(2f);
        for (; i <= n - w; i += w)
            (new Vector<float>(dx.Slice(i)) + two * new Vector<float>(x.Slice(i)) * new Vector<float>(dy.Slice(i))).CopyTo(dx.Slice(i));
        for (; i < n; i++) dx[i] += 2f * x[i] * dy[i];
    }

    /// <summary>dx += dy * sign(x) (0 at x = 0).</summary>
    public static void AbsBackward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx)
    {
        Same(x.Length, dy.Length, dx.Length);
        for (int i = 0; i < x.Length; i++) dx[i] += x[i] > 0f ? dy[i] : x[i] < 0f ? -dy[i] : 0f;
    }

    /// <summary>dx += dy where low &lt;= x &lt;= high (the backward of clamp).</summary>
    public static void ClampBackward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, float low, float high, Span<float> dx)
    {
        Same(x.Length, dy.Length, dx.Length);
        for (int i = 0; i < x.Length; i++) if (x[i] >= low && x[i] <= high) dx[i] += dy[i];
    }

    /// <summary>Scratch chunk (floats on the stack) for kernels that need a temporary.</summary>
    internal const int Chunk = 512;

    internal static void Same(int a, int b)
    {
        if (a != b) throw new ArgumentException($"Span lengths differ: {a} and {b}.");
    }

    internal static void Same(int a, int b, int c)
    {
        if (a != b || a != c) throw new ArgumentException($"Span lengths differ: {a}, {b} and {c}.");
    }
}

// A linear layer with one output (a discriminator's logit head, Linear(K, 1)) as row dot products, not as a GEMM whose
// C has one column: the GEMM packs all of X into panels for a product that reads each element once.
//   forward    y[r] = b + sum_k X[r, k] w[k]              X (N, K), w (K), y (N)
//   backward   dX[r, k] (+)= dy[r] w[k]                    (an outer product)
//              dw[k] += sum_r dy[r] X[r, k]                (rows weighted by dy, added in row order)
// Tensor.Linear takes this path whenever Out = 1, for every batch size. Each row's dot product is computed the same
// way whatever N is and wherever the row starts (a fixed lane order, unaligned loads from the row's first element), so
// a row alone and the same row inside a batch give the same bits, as the GEMM's tile path does for wider layers.
// Parallel over rows (forward, dX) or over chunks of 64 columns (dw) when the product is large: every value is
// computed by one thread in one order, so the thread count does not change the bits.
using System.Numerics;
using System.Runtime.CompilerServices;
using Latent.Tensors.Threading;

namespace Latent.Tensors.Kernels;

/// <summary>Span kernels of a one-output linear layer: row dot products forward, an outer product and weighted row sums backward.</summary>
public static unsafe class LinearColumn
{
    /// <summary>y[r] = bias + X[r, :] . w for the N rows of X (N, K).</summary>
    public static void Forward(ReadOnlySpan<float> x, ReadOnlySpan<float> w, float bias, Span<float> y, int n, int k)
    {
        Check(x.Length, n, k, w.Length, y.Length);
        fixed (float* px = x, pw = w, py = y) Run(Op.Forward, px, pw, py, bias, n, k, false);
    }

    /// <summary>dX[r, :] = dy[r] w, or += with <paramref name="accumulate"/> (dX (N, K), dy (N), w (K)).</summary>
    public static void BackwardInput(ReadOnlySpan<float> dy, ReadOnlySpan<float> w, Span<float> dx, int n, int k, bool accumulate)
    {
        Check(dx.Length, n, k, w.Length, dy.Length);
        fixed (float* pdx = dx, pw = w, pdy = dy) Run(Op.Input, pdx, pw, pdy, 0f, n, k, accumulate);
    }

    /// <summary>dw[:] += sum over r of dy[r] X[r, :] (dw (K), X (N, K), dy (N)).</summary>
    public static void BackwardWeight(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, Span<float> dw, int n, int k)
    {
        Check(x.Length, n, k, dw.Length, dy.Length);
        fixed (float* px = x, pdw = dw, pdy = dy) Run(Op.Weight, px, pdw, pdy, 0f, n, k, true);
    }

    private enum Op { Forward, Input, Weight }

    private sealed class Job
    {
        public Op Op;
        public nint X, W, Y;
        public float Bias;
        public int N, K;
        public bool Add;
    }

    /// <summary>Columns per work item of the weight gradient.</summary>
    private const int ColumnChunk = 64;

    private static readonly Action<Job, int, int, int> RunRange = static (job, _, lo, hi) =>
        Range(job.Op, (float*)job.X, (float*)job.W, (float*)job.Y, job.Bias, job.N, job.K, job.Add, lo, hi);

    /// <summary>Forward and Input: x is the (N, K) matrix, w the weights, y the (N) vector; Weight: x the matrix, w the
    /// weight gradient, y the (N) vector dy.</summary>
    private static void Run(Op op, float* x, float* w, float* y, float bias, int n, int k, bool add)
    {
        int items = op == Op.Weight ? (k + ColumnChunk - 1) / ColumnChunk : n;
        int parts = (int)Math.Min(KernelThreads.Count, (long)n * k / Activations.ParallelMin);
        if (parts <= 1 || items < 2) { Range(op, x, w, y, bias, n, k, add, 0, items); return; }
        Job job = ThreadReuse<Job>.Take();
        try
        {
            (job.Op, job.X, job.W, job.Y, job.Bias, job.N, job.K, job.Add) = (op, (nint)x, (nint)w, (nint)y, bias, n, k, add);
            KernelThreads.For(items, job, RunRange);
        }
        finally { ThreadReuse<Job>.Give(job); }
    }

    private static void Range(Op op, float* x, float* w, float* y, float bias, int n, int k, bool add, int lo, int hi)
    {
        switch (op)
        {
            case Op.Forward:
                for (int r = lo; r < hi; r++) y[r] = bias + Dot(x + (long)r * k, w, k);
                break;
            case Op.Input:
                for (int r = lo; r < hi; r++) Axpy(y[r], w, x + (long)r * k, k, add);
                break;
            default:
                int c0 = lo * ColumnChunk, c1 = Math.Min(k, hi * ColumnChunk);
                for (int r = 0; r < n; r++) Axpy(y[r], x + (long)r * k + c0, w + c0, c1 - c0, add: true);
                break;
        }
    }

    /// <summary>a . b over k floats: four vector accumulators over blocks of 4 W, then whole vectors into the first,
    /// summed (0 + 1) + (2 + 3), the lanes in order, then the tail one by one.</summary>
    private static float Dot(float* a, float* b, int k)
    {
        int w = Vector<float>.Count, t = 0;
        Vector<float> s0 = default, s1 = default, s2 = default, s3 = default;
        for (; t <= k - 4 * w; t += 4 * w)
        {
            s0 += Load(a + t) * Load(b + t);
            s1 += Load(a + t + w) * Load(b + t + w);
            s2 += Load(a + t + 2 * w) * Load(b + t + 2 * w);
            s3 += Load(a + t + 3 * w) * Load(b + t + 3 * w);
        }
        for (; t <= k - w; t += w) s0 += Load(a + t) * Load(b + t);
        Vector<float> s = (s0 + s1) + (s2 + s3);
        float r = s[0];
        for (int l = 1; l < w; l++) r += s[l];
        for (; t < k; t++) r += a[t] * b[t];
        return r;
    }

    /// <summary>y[t] = a x[t], or y[t] += a x[t] with <paramref name="add"/>, over k floats.</summary>
    private static void Axpy(float a, float* x, float* y, int k, bool add)
    {
        int w = Vector<float>.Count, t = 0;
        var va = new Vector<float>(a);
        if (add)
            for (; t <= k - w; t += w) Store(y + t, Load(y + t) + va * Load(x + t));
        else
            for (; t <= k - w; t += w) Store(y + t, va * Load(x + t));
        for (; t < k; t++) y[t] = add ? y[t] + a * x[t] : a * x[t];
    }

    private static Vector<float> Load(float* p) => Unsafe.ReadUnaligned<Vector<float>>(p);

    private static void Store(float* p, Vector<float> v) => Unsafe.WriteUnaligned(p, v);

    private static void Check(int matrix, int n, int k, int vectorK, int vectorN)
    {
        if (n < 0 || k < 0) throw new ArgumentException($"LinearColumn sizes must be non-negative, got N={n}, K={k}.");
        if (matrix != (long)n * k) throw new ArgumentException($"LinearColumn: the matrix has {matrix} floats, expected N K = {(long)n * k}.");
        if (vectorK != k) throw new ArgumentException($"LinearColumn: the weight vector has {vectorK} floats, expected K = {k}.");
        if (vectorN != n) throw new ArgumentException($"LinearColumn: the output vector has {vectorN} floats, expected N = {n}.");
    }
}

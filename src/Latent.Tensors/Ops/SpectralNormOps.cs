// Spectral normalisation of a weight (Miyato et al. 2018, "Spectral Normalization for Generative Adversarial
// Networks"; torch.nn.utils.spectral_norm): W_sn = W / sigma(W), sigma estimated by power iteration.
//
//   W_mat (h, w): W with axis `dim` moved first and the rest flattened (dim 0 for Conv2d/Linear, 1 for ConvTranspose2d)
//   power iteration (no gradient, training mode only):  v = normalise(W_mat^T u),  u = normalise(W_mat v)
//   sigma = u^T W_mat v  (u, v constants for the gradient, as in PyTorch),   y = W / sigma
//   backward: dW = dY / sigma - (sum dY * W) / sigma^2 * (u v^T laid out like W)
// normalise(a) = a / max(||a||, 1e-12).
namespace Latent.Tensors.Ops;

/// <summary>Spectral normalisation primitive.</summary>
public static class SpectralNormOps
{
    /// <summary>
    /// Returns W / sigma with sigma = u^T W_mat v; first runs <paramref name="powerIterations"/> power-iteration
    /// steps that update u (h) and v (w) in place. u and v are constants of the graph.
    /// </summary>
    public static Tensor Normalize(Tensor weight, Tensor u, Tensor v, int dim, int powerIterations, float eps = 1e-12f)
    {
        ArgumentNullException.ThrowIfNull(weight);
        ArgumentNullException.ThrowIfNull(u);
        ArgumentNullException.ThrowIfNull(v);
        if (dim < 0 || dim >= weight.Rank || dim > 1)
            throw new ArgumentException($"SpectralNorm: dim must be 0 or 1 and inside the weight's rank, got {dim} for shape {Tensor.ShapeString(weight.Shape)}.");
        int h = weight.Dim(dim), w = weight.Length / h;
        if (u.Length != h || v.Length != w)
            throw new ArgumentException($"SpectralNorm: u must have {h} and v {w} elements for a weight {Tensor.ShapeString(weight.Shape)} with dim {dim}; got {u.Length} and {v.Length}.");
        if (powerIterations < 0) throw new ArgumentException($"SpectralNorm: power iterations must be non-negative, got {powerIterations}.");
        var map = new WeightMatrix(weight, dim);
        Span<float> us = u.Data, vs = v.Data;
        ReadOnlySpan<float> ws = weight.Data;
        for (int it = 0; it < powerIterations; it++)
        {
            vs.Clear();
            for (int i = 0; i < ws.Length; i++) { map.At(i, out int r, out int c); vs[c] += ws[i] * us[r]; }
            Normalise(vs, eps);
            us.Clear();
            for (int i = 0; i < ws.Length; i++) { map.At(i, out int r, out int c); us[r] += ws[i] * vs[c]; }
            Normalise(us, eps);
        }
        double sigma = 0;
        for (int i = 0; i < ws.Length; i++) { map.At(i, out int r, out int c); sigma += (double)us[r] * ws[i] * vs[c]; }
        Tensor y = Tensor.Uninitialized(weight.ShapeArray());
        float inv = (float)(1 / sigma);
        System.Numerics.Tensors.TensorPrimitives.Multiply(ws, inv, y.Data);
        // Keep sigma and copies of u, v for the backward (a later power iteration must not change this graph's derivative).
        Tensor saved = Tensor.Uninitialized(1 + h + w);
        saved.Data[0] = (float)sigma;
        us.CopyTo(saved.Data.Slice(1, h));
        vs.CopyTo(saved.Data.Slice(1 + h, w));
        return Tensor.Record("spectral_norm", y, [weight], static y =>
        {
            Tensor wt = y.Inputs[0];
            var saved = (Tensor)y.OpState!;
            var map = new WeightMatrix(wt, y.OpInt);
            int h = wt.Dim(y.OpInt);
            float sigma = saved.Data[0];
            ReadOnlySpan<float> u = saved.Data.Slice(1, h), v = saved.Data[(1 + h)..];
            ReadOnlySpan<float> dy = y.Grad!.Data, w = wt.Data;
            double dot = 0;
            for (int i = 0; i < w.Length; i++) dot += (double)dy[i] * w[i];
            float k = (float)(dot / ((double)sigma * sigma)), inv = 1f / sigma;
            Span<float> dw = wt.EnsureGrad();
            for (int i = 0; i < w.Length; i++) { map.At(i, out int r, out int c); dw[i] += dy[i] * inv - k * u[r] * v[c]; }
        }, attribute: dim, state: saved);
    }

    private static void Normalise(Span<float> a, float eps)
    {
        float norm = MathF.Sqrt(System.Numerics.Tensors.TensorPrimitives.SumOfSquares(a));
        System.Numerics.Tensors.TensorPrimitives.Multiply(a, 1f / MathF.Max(norm, eps), a);
    }

    /// <summary>Maps a flat weight index to (row, column) of W_mat: dim 0 is a reshape, dim 1 swaps the first two axes.</summary>
    private readonly struct WeightMatrix(Tensor weight, int dim)
    {
        private readonly int d0 = weight.Dim(0), d1 = weight.Rank > 1 ? weight.Dim(1) : 1, rest = weight.Length / (weight.Dim(0) * (weight.Rank > 1 ? weight.Dim(1) : 1));
        private readonly int dim = dim;

        public void At(int i, out int row, out int col)
        {
            if (dim == 0) { int w = d1 * rest; row = i / w; col = i % w; return; }
            int a = i / (d1 * rest), b = i / rest % d1, r = i % rest;
            row = b; col = a * rest + r;
        }
    }
}

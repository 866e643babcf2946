// Conv2d forward/backward over a batch, NCHW, dilation 1 (torch.nn.Conv2d semantics, cross-correlation).
//
//   y[n, f, oh, ow] = b[f] + sum_{c, kh, kw} w[f, c, kh, kw] x[n, c, oh S - P + kh, ow S - P + kw]
//
// Algorithm: im2col + GEMM per image, single-threaded GEMMs in parallel over the batch (fixed partition).
//   forward    y_n (F, OH OW)  = W (F, C KH KW) col_n (C KH KW, OH OW) + b
//   input grad dcol (C KK, OHW) = W^T dY_n,  dX_n += col2im(dcol)
//   weight grad dW (F, C KK)   += dY_n col_n^T,  db[f] += sum dY_n[f, :]
// Gradients accumulate (+=) as in llm.c, so a caller zeroes them once per step. Weight and bias gradients
// are summed per part and then added in part order, so a run is reproducible for a given thread count.
using System.Buffers;
using System.Numerics.Tensors;

namespace Latent.Tensors.Kernels;

/// <summary>Span kernels of a 2-D convolution; shapes as in <see cref="ConvShape"/>, weight (F, C, KH, KW).</summary>
public static unsafe class Conv2dKernel
{
    /// <summary>y (N, F, OH, OW) = conv(x (N, C, H, W), w (F, C, KH, KW)) + bias (F); bias may be empty (no bias).</summary>
    public static void Forward(ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> bias, Span<float> y, in ConvShape g)
    {
        ConvChecks.Check(g, false, x.Length, w.Length, bias.Length, y.Length, "x", "y");
        ConvShape s = g;
        fixed (float* px = x, pw = w, pb = bias, py = y)
        {
            nint ax = (nint)px, aw = (nint)pw, ab = (nint)pb, ay = (nint)py;
            bool hasBias = !bias.IsEmpty;
            ConvParallel.For(s.Batch, (_, lo, hi) =>
            {
                int kk = s.ColRows, ohw = s.ColCols, xLen = s.InChannels * s.InHeight * s.InWidth, yLen = s.OutChannels * ohw;
                float[] col = ArrayPool<float>.Shared.Rent(kk * ohw);
                var wS = new ReadOnlySpan<float>((float*)aw, s.WeightLength);
                for (int n = lo; n < hi; n++)
                {
                    var xn = new ReadOnlySpan<float>((float*)ax + (long)n * xLen, xLen);
                    var yn = new Span<float>((float*)ay + (long)n * yLen, yLen);
                    ConvColumns.Im2Col(xn, s, col);
                    ConvParallel.Gemm1(false, false, s.OutChannels, ohw, kk, 1f, wS, kk, col, ohw, 0f, yn, ohw);
                    if (hasBias)
                        for (int f = 0; f < s.OutChannels; f++)
                            TensorPrimitives.Add(yn.Slice(f * ohw, ohw), ((float*)ab)[f], yn.Slice(f * ohw, ohw));
                }
                ArrayPool<float>.Shared.Return(col);
            });
        }
    }

    /// <summary>
    /// Backward of <see cref="Forward"/>: dX (N, C, H, W) += input gradient, dW (F, C, KH, KW) += weight gradient,
    /// dB (F) += bias gradient. Any destination may be empty to skip that gradient (x is then unused if dW is empty).
    /// </summary>
    public static void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> dY,
        Span<float> dX, Span<float> dW, Span<float> dB, in ConvShape g)
    {
        ConvChecks.CheckBackward(g, false, x.Length, w.Length, dY.Length, dX.Length, dW.Length, dB.Length);
        ConvShape s = g;
        int wLen = s.WeightLength, bLen = dB.IsEmpty ? 0 : s.OutChannels;
        bool wantX = !dX.IsEmpty, wantW = !dW.IsEmpty;
        int parts = ConvParallel.Parts(s.Batch);
        float[]? partials = wantW || bLen > 0 ? ArrayPool<float>.Shared.Rent(parts * (wLen + bLen)) : null;
        partials?.AsSpan(0, parts * (wLen + bLen)).Clear();
        fixed (float* px = x, pw = w, pdy = dY, pdx = dX)
        {
            nint ax = (nint)px, aw = (nint)pw, ady = (nint)pdy, adx = (nint)pdx;
            ConvParallel.For(s.Batch, (part, lo, hi) =>
            {
                int kk = s.ColRows, ohw = s.ColCols, xLen = s.InChannels * s.InHeight * s.InWidth, yLen = s.OutChannels * ohw;
                float[] col = ArrayPool<float>.Shared.Rent(kk * ohw);
                var wS = new ReadOnlySpan<float>((float*)aw, wLen);
                Span<float> pW = partials is null ? default : partials.AsSpan(part * (wLen + bLen), wLen);
                Span<float> pB = partials is null ? default : partials.AsSpan(part * (wLen + bLen) + wLen, bLen);
                for (int n = lo; n < hi; n++)
                {
                    var dyn = new ReadOnlySpan<float>((float*)ady + (long)n * yLen, yLen);
                    if (wantX)
                    {
                        var dxn = new Span<float>((float*)adx + (long)n * xLen, xLen);
                        ConvParallel.Gemm1(true, false, kk, ohw, s.OutChannels, 1f, wS, kk, dyn, ohw, 0f, col, ohw);
                        ConvColumns.Col2ImAdd(col, s, dxn);
                    }
                    if (wantW)
                    {
                        ConvColumns.Im2Col(new ReadOnlySpan<float>((float*)ax + (long)n * xLen, xLen), s, col);
                        ConvParallel.Gemm1(false, true, s.OutChannels, kk, ohw, 1f, dyn, ohw, col, ohw, 1f, pW, kk);
                    }
                    for (int f = 0; f < bLen; f++) pB[f] += TensorPrimitives.Sum(dyn.Slice(f * ohw, ohw));
                }
                ArrayPool<float>.Shared.Return(col);
            });
        }
        if (partials is not null)
        {
            ConvChecks.ReducePartials(partials, parts, wantW ? dW : default, wLen, dB, bLen);
            ArrayPool<float>.Shared.Return(partials);
        }
    }
}

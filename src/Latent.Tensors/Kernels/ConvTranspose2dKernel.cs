// ConvTranspose2d forward/backward over a batch, NCHW, dilation 1 (torch.nn.ConvTranspose2d semantics).
//
//   y[n, f, i S - P + kh, j S - P + kw] += w[c, f, kh, kw] x[n, c, i, j],  then y += b[f]
//
// It is the adjoint of a convolution from the output size to the input size, so it runs as GEMM + col2im:
//   forward    col (F KK, H W) = W^T (F KK, C) x_n (C, H W),  y_n = col2im(col) + b
//   input grad dX_n (C, HW)  += W (C, F KK) im2col(dY_n)
//   weight grad dW (C, F KK) += x_n (C, HW) im2col(dY_n)^T,  db[f] += sum dY_n[f, :]
// The backward computes im2col(dY_n) once for both gradients. PyTorch 1.13 on CPU runs this layer through
// a slow generic path (aten::slow_conv_transpose2d); this is where the engine gains most over it.
using System.Buffers;
using System.Numerics.Tensors;

namespace Latent.Tensors.Kernels;

/// <summary>Span kernels of a 2-D transposed convolution; shapes as in <see cref="ConvShape"/>, weight (C, F, KH, KW).</summary>
public static unsafe class ConvTranspose2dKernel
{
    /// <summary>y (N, F, OH, OW) = convT(x (N, C, H, W), w (C, F, KH, KW)) + bias (F); bias may be empty.</summary>
    public static void Forward(ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> bias, Span<float> y, in ConvShape g)
    {
        ConvChecks.Check(g, true, x.Length, w.Length, bias.Length, y.Length, "x", "y");
        ConvShape s = g;
        fixed (float* px = x, pw = w, pb = bias, py = y)
        {
            nint ax = (nint)px, aw = (nint)pw, ab = (nint)pb, ay = (nint)py;
            bool hasBias = !bias.IsEmpty;
            ConvParallel.For(s.Batch, (_, lo, hi) =>
            {
                int fkk = s.ColRows, hw = s.ColCols, xLen = s.InChannels * hw, ohw = s.OutHeight * s.OutWidth, yLen = s.OutChannels * ohw;
                float[] col = ArrayPool<float>.Shared.Rent(fkk * hw);
                var wS = new ReadOnlySpan<float>((float*)aw, s.WeightLength);
                for (int n = lo; n < hi; n++)
                {
                    var xn = new ReadOnlySpan<float>((float*)ax + (long)n * xLen, xLen);
                    var yn = new Span<float>((float*)ay + (long)n * yLen, yLen);
                    ConvParallel.Gemm1(true, false, fkk, hw, s.InChannels, 1f, wS, fkk, xn, hw, 0f, col, hw);
                    if (hasBias)
                        for (int f = 0; f < s.OutChannels; f++) yn.Slice(f * ohw, ohw).Fill(((float*)ab)[f]);
                    else yn.Clear();
                    ConvColumns.Col2ImAdd(col, s, yn);
                }
                ArrayPool<float>.Shared.Return(col);
            });
        }
    }

    /// <summary>
    /// Backward of <see cref="Forward"/>: dX (N, C, H, W) += input gradient, dW (C, F, KH, KW) += weight gradient,
    /// dB (F) += bias gradient. Any destination may be empty to skip that gradient.
    /// </summary>
    public static void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> dY,
        Span<float> dX, Span<float> dW, Span<float> dB, in ConvShape g)
    {
        ConvChecks.CheckBackward(g, true, x.Length, w.Length, dY.Length, dX.Length, dW.Length, dB.Length);
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
                int fkk = s.ColRows, hw = s.ColCols, c = s.InChannels, xLen = c * hw, ohw = s.OutHeight * s.OutWidth, yLen = s.OutChannels * ohw;
                float[] col = ArrayPool<float>.Shared.Rent(fkk * hw);
                var wS = new ReadOnlySpan<float>((float*)aw, wLen);
                Span<float> pW = partials is null ? default : partials.AsSpan(part * (wLen + bLen), wLen);
                Span<float> pB = partials is null ? default : partials.AsSpan(part * (wLen + bLen) + wLen, bLen);
                for (int n = lo; n < hi; n++)
                {
                    var dyn = new ReadOnlySpan<float>((float*)ady + (long)n * yLen, yLen);
                    if (wantX || wantW) ConvColumns.Im2Col(dyn, s, col);
                    if (wantX)
                    {
                        var dxn = new Span<float>((float*)adx + (long)n * xLen, xLen);
                        ConvParallel.Gemm1(false, false, c, hw, fkk, 1f, wS, fkk, col, hw, 1f, dxn, hw);
                    }
                    if (wantW)
                    {
                        var xn = new ReadOnlySpan<float>((float*)ax + (long)n * xLen, xLen);
                        ConvParallel.Gemm1(false, true, c, fkk, hw, 1f, xn, hw, col, hw, 1f, pW, fkk);
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

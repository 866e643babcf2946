// ConvTranspose2d forward/backward over a batch, NCHW, dilation 1 (torch.nn.ConvTranspose2d semantics).
//
//   y[n, f, i S - P + kh, j S - P + kw] += w[c, f, kh, kw] x[n, c, i, j],  then y += b[f]
//
// With one output channel the input gradient takes ConvRowTiles (rows of 8 or more pixels with AVX2, else ConvDirect's
// tiles) and for 9-tap kernels the weight gradient ConvDirect's dots,
// and the forward the tap planes (ConvTapPlanes: stride 1 or 2 onto a plane S times the input's, as d5 and G2), else
// ConvProduce's phase tiles (KH = 3 S; other kernels multiply one image per GEMM, x as stored, no gather). The many-channel 3 x 3 stride-2 layers take pixel x channel
// tiles in all three passes (ConvPixelTiles). Otherwise: it is the adjoint of a
// convolution from the output size to the input size, so it runs as GEMM + col2im, a group
// of nb images (ConvParallel.GroupSize) side by side in one column matrix of nb H W columns:
//   forward    col (F KK, nb HW) = W^T (F KK, C) x_g (C, nb HW),  y_n = col2im(col[:, j HW ..]) + b
//   input grad dX_g (C, nb HW)  = W (C, F KK) im2col(dY_g),  dX_n += dX_g[:, j HW ..]
//   weight grad dW (C, F KK)   += x_g im2col(dY_g)^T,  db[f] += sum dY_n[f, :]   (or as its transpose: ConvWeightGrad)
// where x_g gathers the group's inputs (no copy when nb = 1). The backward builds im2col(dY) once for both
// gradients. W^T (forward) and W (input gradient) are packed into the GEMM's panels once per call, shared by every
// group and thread (ConvParallel.PackWeights). PyTorch 1.13 on CPU runs this layer through a slow generic path
// (aten::slow_conv_transpose2d); this is where the engine gains most over it.
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
        if (ConvTapPlanes.Applies(g)) { ConvTapPlanes.TransposedForward(x, w, bias, y, g); return; }
        if (ConvProduce.Applies(g)) { ConvProduce.TransposedForward(x, w, bias, y, g); return; }
        if (ConvPixelTiles.Applies(g)) { ConvPixelTiles.TransposedForward(x, w, bias, y, g); return; }
        ConvShape s = g;
        float[] packedWt = ConvParallel.PackWeights(true, s.ColRows, s.InChannels, w, s.ColRows);   // W^T (F KK, C)
        fixed (float* px = x, pb = bias, py = y)
        {
            nint ax = (nint)px, ab = (nint)pb, ay = (nint)py;
            bool hasBias = !bias.IsEmpty;
            ConvParallel.For(s.Batch, (_, lo, hi) =>
            {
                int fkk = s.ColRows, hw = s.ColCols, c = s.InChannels, xLen = c * hw, ohw = s.OutHeight * s.OutWidth, yLen = s.OutChannels * ohw;
                // One output channel: x as stored, one image per GEMM (no gather; the GEMM reads B in place when FKK <= 36).
                int group = ConvDirect.Applies(s) ? 1 : ConvParallel.GroupSize(fkk, hw);
                float[] col = ArrayPool<float>.Shared.Rent(fkk * hw * group);
                float[]? xg = group > 1 ? ArrayPool<float>.Shared.Rent(xLen * group) : null;
                for (int n0 = lo; n0 < hi; n0 += group)
                {
                    int nb = Math.Min(group, hi - n0), ld = nb * hw;
                    var xRaw = new ReadOnlySpan<float>((float*)ax + (long)n0 * xLen, nb * xLen);
                    ReadOnlySpan<float> xG = xRaw;                                            // (C, nb HW)
                    if (nb > 1) { ConvParallel.Gather(xRaw, nb, c, hw, xg); xG = xg.AsSpan(0, c * ld); }
                    ConvParallel.Gemm1Packed(fkk, ld, c, packedWt, xG, ld, 0f, col, ld);
                    for (int j = 0; j < nb; j++)
                    {
                        var yn = new Span<float>((float*)ay + (long)(n0 + j) * yLen, yLen);
                        if (hasBias)
                            for (int f = 0; f < s.OutChannels; f++) yn.Slice(f * ohw, ohw).Fill(((float*)ab)[f]);
                        else yn.Clear();
                        ConvColumns.Col2ImAdd(col.AsSpan(j * hw), s, yn, ld);
                    }
                }
                ArrayPool<float>.Shared.Return(col);
                if (xg is not null) ArrayPool<float>.Shared.Return(xg);
            });
        }
        ArrayPool<float>.Shared.Return(packedWt);
    }

    /// <summary>
    /// Backward of <see cref="Forward"/>: dX (N, C, H, W) += input gradient (= when <paramref name="writeDx"/>: dX's old
    /// contents are then ignored, a first gradient), dW (C, F, KH, KW) += weight gradient, dB (F) += bias gradient. Any
    /// destination may be empty to skip that gradient.
    /// </summary>
    public static void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> dY,
        Span<float> dX, Span<float> dW, Span<float> dB, in ConvShape g, bool writeDx = false)
    {
        ConvChecks.CheckBackward(g, true, x.Length, w.Length, dY.Length, dX.Length, dW.Length, dB.Length);
        // The input gradient's path, and whether it can write (the row tiles, the pixel tiles) rather than add.
        bool direct = ConvDirect.Applies(g), rowTiles = direct && ConvRowTiles.Applies(g), pixelTiles = !direct && ConvPixelTiles.Applies(g);
        if (writeDx && !rowTiles && !pixelTiles) dX.Clear();               // the other paths add: onto zeros
        if (direct)
        {
            if (!dX.IsEmpty && rowTiles) ConvRowTiles.TransposedInputGradient(dY, w, dX, g, !writeDx);   // dX by the row tiles
            else if (!dX.IsEmpty) ConvDirect.TransposedInputGradient(dY, w, dX, g);  // or the direct multiply tiles (no AVX2)
            dX = default;
            if (!dW.IsEmpty && ConvDirect.WeightGradientApplies(g))
            {
                ConvDirect.TransposedWeightGradient(x, dY, dW, dB, g);                 // dW, dB by the direct dot tiles
                return;
            }
            if (dW.IsEmpty && dB.IsEmpty) return;                          // else dW and / or dB by the lowering below
        }
        if (ConvPixelTiles.Applies(g))
        {
            if (!dX.IsEmpty) ConvPixelTiles.TransposedInputGradient(dY, w, dX, g, !writeDx);       // dX by the pixel tiles
            if (!dW.IsEmpty) { ConvPixelTiles.WeightGradient(x, dY, dW, dB, g); return; }     // dW, dB by the tap x channel tiles
            if (dB.IsEmpty) return;
            dX = default;                                                  // dB alone by the lowering below
        }
        ConvShape s = g;
        int wLen = s.WeightLength, bLen = dB.IsEmpty ? 0 : s.OutChannels;
        bool wantX = !dX.IsEmpty, wantW = !dW.IsEmpty;
        int parts = ConvParallel.Parts(s.Batch);
        float[]? partials = wantW || bLen > 0 ? ArrayPool<float>.Shared.Rent(parts * (wLen + bLen)) : null;
        partials?.AsSpan(0, parts * (wLen + bLen)).Clear();
        float[]? packedW = wantX ? ConvParallel.PackWeights(false, s.InChannels, s.ColRows, w, s.ColRows) : null;   // W (C, F KK)
        fixed (float* px = x, pdy = dY, pdx = dX)
        {
            nint ax = (nint)px, ady = (nint)pdy, adx = (nint)pdx;
            ConvParallel.For(s.Batch, (part, lo, hi) =>
            {
                int fkk = s.ColRows, hw = s.ColCols, c = s.InChannels, xLen = c * hw, ohw = s.OutHeight * s.OutWidth, yLen = s.OutChannels * ohw;
                int group = ConvParallel.GroupSize(fkk, hw);
                float[] col = ArrayPool<float>.Shared.Rent(fkk * hw * group);
                float[]? xg = group > 1 ? ArrayPool<float>.Shared.Rent(2 * xLen * group) : null; // x_g and dX_g
                float[]? wScratch = wantW ? ConvWeightGrad.RentScratch(c, fkk) : null;
                Span<float> pW = partials is null ? default : partials.AsSpan(part * (wLen + bLen), wLen);
                Span<float> pB = partials is null ? default : partials.AsSpan(part * (wLen + bLen) + wLen, bLen);
                for (int n0 = lo; n0 < hi; n0 += group)
                {
                    int nb = Math.Min(group, hi - n0), ld = nb * hw;
                    if (wantX || wantW)
                        for (int j = 0; j < nb; j++)
                            ConvColumns.Im2Col(new ReadOnlySpan<float>((float*)ady + (long)(n0 + j) * yLen, yLen), s, col.AsSpan(j * hw), ld);
                    if (wantX)
                    {
                        var dxRaw = new Span<float>((float*)adx + (long)n0 * xLen, nb * xLen);
                        if (nb == 1) ConvParallel.Gemm1Packed(c, hw, fkk, packedW!, col, hw, 1f, dxRaw, hw);
                        else
                        {
                            Span<float> dxG = xg.AsSpan(xLen * group, c * ld);
                            ConvParallel.Gemm1Packed(c, ld, fkk, packedW!, col, ld, 0f, dxG, ld);
                            ConvParallel.ScatterAdd(dxG, nb, c, hw, dxRaw);
                        }
                    }
                    if (wantW)
                    {
                        var xRaw = new ReadOnlySpan<float>((float*)ax + (long)n0 * xLen, nb * xLen);
                        ReadOnlySpan<float> xG = xRaw;
                        if (nb > 1) { ConvParallel.Gather(xRaw, nb, c, hw, xg); xG = xg.AsSpan(0, c * ld); }
                        ConvWeightGrad.Accumulate(c, fkk, ld, xG, col, pW, wScratch);
                    }
                    for (int j = 0; j < nb; j++)
                    {
                        var dyn = new ReadOnlySpan<float>((float*)ady + (long)(n0 + j) * yLen, yLen);
                        for (int f = 0; f < bLen; f++) pB[f] += TensorPrimitives.Sum(dyn.Slice(f * ohw, ohw));
                    }
                }
                ArrayPool<float>.Shared.Return(col);
                if (xg is not null) ArrayPool<float>.Shared.Return(xg);
                if (wScratch is not null) ArrayPool<float>.Shared.Return(wScratch);
            });
        }
        if (packedW is not null) ArrayPool<float>.Shared.Return(packedW);
        if (partials is not null)
        {
            ConvChecks.ReducePartials(partials, parts, wantW ? dW : default, wLen, dB, bLen);
            ArrayPool<float>.Shared.Return(partials);
        }
    }
}

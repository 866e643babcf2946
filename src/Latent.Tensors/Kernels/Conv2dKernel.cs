// Conv2d forward/backward over a batch, NCHW, dilation 1 (torch.nn.Conv2d semantics, cross-correlation).
//
//   y[n, f, oh, ow] = b[f] + sum_{c, kh, kw} w[f, c, kh, kw] x[n, c, oh S - P + kh, ow S - P + kw]
//
// A 1 x 1 stride-1 unpadded kernel is a product over x as stored (ConvPointwise); few output channels over many input
// channels (ConvSmallOut) take direct kernels, and so do the forward with one input channel (ConvRowTiles: rows of 8
// or more pixels with AVX2, else ConvDirect), its weight gradient (ConvDirect: 9 taps, or 16 in channel blocks of 6
// and 4), and its input gradient (ConvTapPlanes: stride 1, "same" size, as the 3 x 3 of e1; else ConvProduce: KH = 3 S); the
// many-channel 3 x 3 stride-2 layers take pixel x channel tiles in all three passes (ConvPixelTiles).
// Otherwise: im2col + GEMM, single-threaded GEMMs in parallel over the batch (fixed partition). A group of nb images
// (ConvParallel.GroupSize: several when the output is small, e.g. 7 x 7) shares one column matrix
// col (C KH KW, nb OH OW), image j in columns [j OHW, (j + 1) OHW):
//   forward    Y (F, nb OHW)    = W (F, C KK) col,  y_n = Y[:, j OHW ..] + b
//   input grad dcol (C KK, nb OHW) = W^T dY_g,  dX_n += col2im(dcol[:, j OHW ..])
//   weight grad dW (F, C KK)   += dY_g col^T,  db[f] += sum dY_n[f, :]   (or as its transpose: ConvWeightGrad)
// where dY_g (F, nb OHW) gathers the group's output gradients (no copy when nb = 1). Gradients accumulate (+=) as
// in llm.c, so a caller zeroes them once per step. Weight and bias gradients are summed per part and then added in
// part order, so a run is reproducible for a given thread count. W and W^T are packed into the GEMM's panels once per
// call (ConvParallel.PackWeights) and shared by every group and thread; the forward's group result is scattered to
// the images with the bias added in the same pass.
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
        if (ConvPointwise.Applies(g)) { ConvPointwise.Forward(x, w, bias, y, g); return; }
        if (ConvRowTiles.Applies(g)) { ConvRowTiles.ConvForward(x, w, bias, y, g); return; }
        if (ConvSmallOut.Applies(g)) { ConvSmallOut.Forward(x, w, bias, y, g); return; }
        if (ConvPixelTiles.Applies(g)) { ConvPixelTiles.ConvForward(x, w, bias, y, g); return; }
        ConvShape s = g;
        float[] packedW = ConvParallel.PackWeights(false, s.OutChannels, s.ColRows, w, s.ColRows);   // W (F, C KK)
        fixed (float* px = x, pb = bias, py = y)
        {
            nint ax = (nint)px, ab = (nint)pb, ay = (nint)py;
            bool hasBias = !bias.IsEmpty;
            ConvParallel.For(s.Batch, (_, lo, hi) =>
            {
                int kk = s.ColRows, ohw = s.ColCols, f = s.OutChannels, xLen = s.InChannels * s.InHeight * s.InWidth, yLen = f * ohw;
                int group = ConvParallel.GroupSize(kk, ohw);
                float[] col = ArrayPool<float>.Shared.Rent(kk * ohw * group);
                float[]? tmp = group > 1 ? ArrayPool<float>.Shared.Rent(f * ohw * group) : null;
                for (int n0 = lo; n0 < hi; n0 += group)
                {
                    int nb = Math.Min(group, hi - n0), ld = nb * ohw;
                    for (int j = 0; j < nb; j++)
                        ConvColumns.Im2Col(new ReadOnlySpan<float>((float*)ax + (long)(n0 + j) * xLen, xLen), s, col.AsSpan(j * ohw), ld);
                    var yg = new Span<float>((float*)ay + (long)n0 * yLen, nb * yLen);
                    var b = new ReadOnlySpan<float>((float*)ab, hasBias ? f : 0);
                    if (nb > 1)
                    {
                        ConvParallel.Gemm1Packed(f, ld, kk, packedW, col, ld, 0f, tmp, ld);
                        ConvParallel.Scatter(tmp, nb, f, ohw, b, yg);                    // y_j = Y[:, j OHW ..] + b
                        continue;
                    }
                    ConvParallel.Gemm1Packed(f, ohw, kk, packedW, col, ohw, 0f, yg, ohw);
                    for (int c = 0; c < b.Length; c++)
                    {
                        Span<float> plane = yg.Slice(c * ohw, ohw);
                        TensorPrimitives.Add(plane, b[c], plane);
                    }
                }
                ArrayPool<float>.Shared.Return(col);
                if (tmp is not null) ArrayPool<float>.Shared.Return(tmp);
            });
        }
        ArrayPool<float>.Shared.Return(packedW);
    }

    /// <summary>
    /// Backward of <see cref="Forward"/>: dX (N, C, H, W) += input gradient (= when <paramref name="writeDx"/>: dX's old
    /// contents are then ignored, a first gradient), dW (F, C, KH, KW) += weight gradient, dB (F) += bias gradient. Any
    /// destination may be empty to skip that gradient (x is then unused if dW is empty).
    /// </summary>
    public static void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> dY,
        Span<float> dX, Span<float> dW, Span<float> dB, in ConvShape g, bool writeDx = false)
    {
        ConvChecks.CheckBackward(g, false, x.Length, w.Length, dY.Length, dX.Length, dW.Length, dB.Length);
        // The input gradient's path, and whether it can write (the tap planes, the pixel tiles) rather than add.
        bool pointwise = ConvPointwise.Applies(g), tapPlanes = !pointwise && ConvTapPlanes.Applies(g);
        bool produce = ConvProduce.Applies(g), pixelTiles = !pointwise && !tapPlanes && !produce && ConvPixelTiles.Applies(g);
        if (writeDx && !tapPlanes && !pixelTiles) dX.Clear();              // the other paths add: onto zeros
        if (pointwise) { ConvPointwise.Backward(x, w, dY, dX, dW, dB, g); return; }
        if (tapPlanes && !dX.IsEmpty)
        {
            ConvTapPlanes.ConvInputGradient(dY, w, dX, g, !writeDx);                   // dX by the tap planes
            if (dW.IsEmpty && dB.IsEmpty) return;
            dX = default;                                                  // dW, dB by the dot tiles or the lowering
        }
        if (produce && !dX.IsEmpty)
        {
            ConvProduce.ConvInputGradient(dY, w, dX, g);                               // dX by the direct phase tiles
            if (dW.IsEmpty && dB.IsEmpty) return;
            dX = default;                                                  // dW, dB by the dot tiles or the lowering
        }
        if (ConvPixelTiles.Applies(g))
        {
            if (!dX.IsEmpty) ConvPixelTiles.ConvInputGradient(dY, w, dX, g, !writeDx);       // dX by the pixel tiles
            if (!dW.IsEmpty) { ConvPixelTiles.WeightGradient(x, dY, dW, dB, g); return; }     // dW, dB by the tap x channel tiles
            if (dB.IsEmpty) return;
            dX = default;                                                  // dB alone by the lowering below
        }
        if (ConvDirect.WeightGradientApplies(g) && !dW.IsEmpty)
        {
            ConvDirect.ConvWeightGradient(x, dY, dW, dB, g);                           // dW, dB by the direct dot tiles
            if (dX.IsEmpty) return;
            dW = default;                                                  // dX by the lowering below
            dB = default;
        }
        if (ConvSmallOut.Applies(g)) { ConvSmallOut.Backward(x, w, dY, dX, dW, dB, g); return; }
        ConvShape s = g;
        int wLen = s.WeightLength, bLen = dB.IsEmpty ? 0 : s.OutChannels;
        bool wantX = !dX.IsEmpty, wantW = !dW.IsEmpty;
        int parts = ConvParallel.Parts(s.Batch);
        float[]? partials = wantW || bLen > 0 ? ArrayPool<float>.Shared.Rent(parts * (wLen + bLen)) : null;
        partials?.AsSpan(0, parts * (wLen + bLen)).Clear();
        float[]? packedWt = wantX ? ConvParallel.PackWeights(true, s.ColRows, s.OutChannels, w, s.ColRows) : null;   // W^T (C KK, F)
        fixed (float* px = x, pdy = dY, pdx = dX)
        {
            nint ax = (nint)px, ady = (nint)pdy, adx = (nint)pdx;
            ConvParallel.For(s.Batch, (part, lo, hi) =>
            {
                int kk = s.ColRows, ohw = s.ColCols, f = s.OutChannels, xLen = s.InChannels * s.InHeight * s.InWidth, yLen = f * ohw;
                int group = ConvParallel.GroupSize(kk, ohw);
                float[] col = ArrayPool<float>.Shared.Rent(kk * ohw * group);
                float[]? dyg = group > 1 ? ArrayPool<float>.Shared.Rent(f * ohw * group) : null;
                float[]? wScratch = wantW ? ConvWeightGrad.RentScratch(f, kk) : null;
                Span<float> pW = partials is null ? default : partials.AsSpan(part * (wLen + bLen), wLen);
                Span<float> pB = partials is null ? default : partials.AsSpan(part * (wLen + bLen) + wLen, bLen);
                for (int n0 = lo; n0 < hi; n0 += group)
                {
                    int nb = Math.Min(group, hi - n0), ld = nb * ohw;
                    var dyRaw = new ReadOnlySpan<float>((float*)ady + (long)n0 * yLen, nb * yLen);
                    ReadOnlySpan<float> dyG = dyRaw;                                          // (F, nb OHW)
                    if (nb > 1) { ConvParallel.Gather(dyRaw, nb, f, ohw, dyg); dyG = dyg.AsSpan(0, f * ld); }
                    if (wantX)
                    {
                        ConvParallel.Gemm1Packed(kk, ld, f, packedWt!, dyG, ld, 0f, col, ld);
                        for (int j = 0; j < nb; j++)
                            ConvColumns.Col2ImAdd(col.AsSpan(j * ohw), s, new Span<float>((float*)adx + (long)(n0 + j) * xLen, xLen), ld);
                    }
                    if (wantW)
                    {
                        for (int j = 0; j < nb; j++)
                            ConvColumns.Im2Col(new ReadOnlySpan<float>((float*)ax + (long)(n0 + j) * xLen, xLen), s, col.AsSpan(j * ohw), ld);
                        ConvWeightGrad.Accumulate(f, kk, ld, dyG, col, pW, wScratch);
                    }
                    for (int c = 0; c < bLen; c++) pB[c] += TensorPrimitives.Sum(dyG.Slice(c * ld, ld));
                }
                ArrayPool<float>.Shared.Return(col);
                if (dyg is not null) ArrayPool<float>.Shared.Return(dyg);
                if (wScratch is not null) ArrayPool<float>.Shared.Return(wScratch);
            });
        }
        if (packedWt is not null) ArrayPool<float>.Shared.Return(packedWt);
        if (partials is not null)
        {
            ConvChecks.ReducePartials(partials, parts, wantW ? dW : default, wLen, dB, bLen);
            ArrayPool<float>.Shared.Return(partials);
        }
    }
}

// The many-channel 3 x 3 stride-2 convolutions (ConvVAE e2, e4, d2, d4) as pixel x channel tiles: each pass is a
// product whose vector dimension is a channel dimension and whose broadcast operand is read from a zero-bordered copy of
// one side of the layer, pixel by pixel, through a table of offsets (no im2col, no col2im, no column matrix):
//
//   consume  out_n[m, o] (= b[m] + | +=) sum_{c, kh, kw} W[m, c, kh, kw] img_n[c, S oh - P + kh, S ow - P + kw]
//            conv forward (img = x, out = y, + b), convT input gradient (img = dY, out = dX, +=);
//            T (pixels, M) = col^T (pixels, Ci KK) W^T (Ci KK, M), one phase
//   produce  img_n[c, S u + a, S v + b] (= b[c] + | +=) sum_{m, taps of phase (a, b)} W[m, c, kh, kw] col_n[m, u + e, v + e']
//            conv input gradient (col = dY, img = dX, +=), convT forward (col = x, img = y, + b); one phase per (a, b),
//            T rows addressed by image pixel, so the phases' results land in place (no interleave pass)
//   weights  dW^T (Ci KK, M) += im2col(img_n) (Ci KK, pixels) col_n^T (pixels, M): 6 taps x 16 channels per tile,
//            contracted over the pixels (conv: col = dY, img = x; convT: col = x, img = dY), dB from dY
//
// W is (M, Ci, KH, KW) as stored in both kinds (M = the column side's channels). The lowering ran W (M, Ci KK) col
// through the packed GEMM after im2col (or W^T dY then col2im): with M = 32 its 6-row panels are 89 % full, 196 columns
// fill 13 sixteen-wide tiles for 12.25 of work, and im2col / col2im cost 2.7-4.5 ms per batch of 128 on one thread.
// Here 32-64 channels fill whole 16-wide tiles and 196 pixels fill 32 of 33 six-pixel tiles (ConvPixelTilesAvx2,
// PixelTilePlan). Per group of images: the read side copied into the bordered buffer, the tiles for each K slice (whole
// channels, at most 320 steps: a 16-channel panel of W^T stays in L1) into T (pixels, V16), then T transposed by 8 x 8
// blocks straight into the output with the bias or the add. Parallel over the batch with ConvParallel's fixed
// partition; groups and slices depend on the shape only, weight gradients are summed per part and added in part order:
// the same bits for a given thread count (the forward passes: for any thread count).
using System.Buffers;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics.X86;

namespace Latent.Tensors.Kernels;

internal static unsafe class ConvPixelTiles
{
    /// <summary>True when the convolution runs here, in all three passes: <see cref="ConvDirect.Enabled"/>, AVX2 + FMA, at
    /// least 16 channels on both sides (one image channel is ConvDirect's and ConvProduce's, which measured faster than
    /// these tiles there; few output channels over many input channels is ConvSmallOut's), a 3 x 3 or 4 x 4 kernel,
    /// stride 1 or 2: every layer of the ConvVAE but e1 and d5, and the DCGAN's D2 and G1 (docs/PERFORMANCE-CONV.md,
    /// branch conv15).</summary>
    public static bool Applies(in ConvShape g) =>
        ConvDirect.Enabled && Supported && g.ImageChannels >= 16 && (g.Transposed ? g.InChannels : g.OutChannels) >= 16
        && g.KernelHeight == g.KernelWidth && g.KernelHeight is 3 or 4 && g.Stride is 1 or 2 && !ConvSmallOut.Applies(g);

    /// <summary>True when the tiles can run on this machine (AVX2 + FMA); any geometry otherwise.</summary>
    public static bool Supported => Avx2.IsSupported && Fma.IsSupported;

    /// <summary>Conv2d forward (Conv2dKernel.Forward's contract): y_n (F, OHW) = W (F, C KK) col(x_n) + b.</summary>
    public static void ConvForward(ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> bias, Span<float> y, in ConvShape s) =>
        Run(x, w, bias, y, s, false, false);

    /// <summary>ConvTranspose2d input gradient: dX_n (C, HW) += W (C, F KK) col(dY_n), or = when not
    /// <paramref name="accumulate"/> (dX's old contents ignored).</summary>
    public static void TransposedInputGradient(ReadOnlySpan<float> dY, ReadOnlySpan<float> w, Span<float> dX, in ConvShape s, bool accumulate = true) =>
        Run(dY, w, default, dX, s, false, accumulate);

    /// <summary>Conv2d input gradient: dX_n (C, H, W) += col2im(W (F, C KK)^T dY_n (F, OHW)), or = when not
    /// <paramref name="accumulate"/> (every pixel is written, as the convT forward's, which has no old contents).</summary>
    public static void ConvInputGradient(ReadOnlySpan<float> dY, ReadOnlySpan<float> w, Span<float> dX, in ConvShape s, bool accumulate = true) =>
        Run(dY, w, default, dX, s, true, accumulate);

    /// <summary>ConvTranspose2d forward: y_n (F, OH, OW) = col2im(W (C, F KK)^T x_n (C, HW)) + b.</summary>
    public static void TransposedForward(ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> bias, Span<float> y, in ConvShape s) =>
        Run(x, w, bias, y, s, true, false);

    /// <summary>Conv2d or ConvTranspose2d weight gradient dW (M, Ci KK) += sum_n col_n (M, OHW) im2col(img_n)^T (conv: col = dY,
    /// img = x; convT: col = x, img = dY), and the bias gradient dB (F) += sum of dY over images and pixels (dB may be
    /// empty). Per part partials added in part order.</summary>
    public static void WeightGradient(ReadOnlySpan<float> x, ReadOnlySpan<float> dY, Span<float> dW, Span<float> dB, in ConvShape s)
    {
        ConvShape g = s;
        var plan = new PixelTilePlan(g, false);
        int wLen = g.WeightLength, bLen = dB.IsEmpty ? 0 : g.OutChannels, parts = ConvParallel.Parts(g.Batch);
        int dyPlane = g.OutHeight * g.OutWidth, dyLen = g.OutChannels * dyPlane;
        float[] partials = ArrayPool<float>.Shared.Rent(parts * (wLen + bLen));
        fixed (float* px = x, pdy = dY)
        {
            nint ax = (nint)px, ady = (nint)pdy;
            ConvParallel.For(g.Batch, (part, lo, hi) =>
            {
                float[] pad = ArrayPool<float>.Shared.Rent(plan.PadLength);
                float[] bt = ArrayPool<float>.Shared.Rent(plan.BtLength);
                float[] acc = ArrayPool<float>.Shared.Rent(plan.AccLength);
                pad.AsSpan(0, plan.PadLength).Clear();
                bt.AsSpan(0, plan.BtLength).Clear();
                acc.AsSpan(0, plan.AccLength).Clear();
                Span<float> pB = partials.AsSpan(part * (wLen + bLen) + wLen, bLen);
                pB.Clear();
                float* img = g.Transposed ? (float*)ady : (float*)ax, col = g.Transposed ? (float*)ax : (float*)ady;
                fixed (float* pp = pad, pbt = bt, pacc = acc)
                    for (int n0 = lo; n0 < hi; n0 += plan.Group)
                    {
                        int nb = Math.Min(plan.Group, hi - n0);
                        plan.Pad(img + (long)n0 * plan.ReadLength, nb, pp);
                        plan.TransposeColumns(col + (long)n0 * plan.OutLength, nb, pbt);
                        plan.WeightTiles(pbt, pp, nb, pacc);
                        for (int j = 0; j < nb; j++)
                            for (int o = 0; o < bLen; o++)
                                pB[o] += TensorPrimitives.Sum(new ReadOnlySpan<float>((float*)ady + (long)(n0 + j) * dyLen + (long)o * dyPlane, dyPlane));
                    }
                fixed (float* pacc = acc) plan.WeightsFromAcc(pacc, partials.AsSpan(part * (wLen + bLen), wLen));
                ArrayPool<float>.Shared.Return(pad);
                ArrayPool<float>.Shared.Return(bt);
                ArrayPool<float>.Shared.Return(acc);
            });
        }
        ConvChecks.ReducePartials(partials, parts, dW, wLen, dB, bLen);
        ArrayPool<float>.Shared.Return(partials);
    }

    private static void Run(ReadOnlySpan<float> src, ReadOnlySpan<float> w, ReadOnlySpan<float> bias, Span<float> outp, ConvShape s, bool produce, bool accumulate)
    {
        var plan = new PixelTilePlan(s, produce);
        float[] packed = ArrayPool<float>.Shared.Rent(Math.Max(1, plan.PackedLength));
        plan.PackWeights(w, packed);
        fixed (float* pi = src, po = outp, pw = packed, pb = bias)
        {
            nint ai = (nint)pi, ao = (nint)po, aw = (nint)pw, ab = bias.IsEmpty ? 0 : (nint)pb;
            ConvParallel.For(s.Batch, (_, lo, hi) =>
            {
                float[] pad = ArrayPool<float>.Shared.Rent(plan.PadLength);
                float[] t = ArrayPool<float>.Shared.Rent(plan.TLength);
                pad.AsSpan(0, plan.PadLength).Clear();                    // the borders stay zero; the data is overwritten
                fixed (float* pp = pad, pt = t)
                    for (int n0 = lo; n0 < hi; n0 += plan.Group)
                    {
                        int nb = Math.Min(plan.Group, hi - n0);
                        plan.Pad((float*)ai + (long)n0 * plan.ReadLength, nb, pp);
                        plan.Tiles((float*)aw, pp, nb, pt);
                        plan.Store(pt, nb, (float*)ao + (long)n0 * plan.OutLength, accumulate, (float*)ab);
                    }
                ArrayPool<float>.Shared.Return(pad);
                ArrayPool<float>.Shared.Return(t);
            });
        }
        ArrayPool<float>.Shared.Return(packed);
    }
}

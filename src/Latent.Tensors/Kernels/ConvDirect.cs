// Convolutions with one channel on the image side (ConvWindows.Applies: the ConvVAE's first conv 1 -> 32 and last
// convT 32 -> 1, the DCGAN's D conv 1 -> 64 and G convT 64 -> 1), one image at a time with DirectGemm's register
// tiles instead of im2col + the packed GEMM over groups of images. The GEMM's contracted dimension is only the 9 or
// 16 taps there, so its tiles spend as much time filling and storing as multiplying, and grouping the images costs a
// gather or scatter of the wide side (docs/PERFORMANCE-CONV.md). Per image n (col = the im2col rows, read from
// ConvWindows: KK = KH KW rows of OH OW for the conv, H W for the transposed conv):
//
//   conv   forward  y_n (F, OHW)  = W (F, KK) col(x_n) + b                 multiply, B = windows of x_n
//          dX       Z (KK, OHW)   = W^T (KK, F) dY_n,  dX_n += col2im(Z)   multiply, B = dY_n's planes
//          dW       dW (F, KK)   += dY_n (F, OHW) col(x_n)^T                dot, over the images of a part
//   convT  forward  Z (KK, HW)    = W^T (KK, C) x_n,   y_n = col2im(Z) + b multiply, B = x_n's planes
//          dX       dX_n (C, HW) += W (C, KK) col(dY_n)                    multiply, B = windows of dY_n
//          dW       dW (C, KK)   += x_n (C, HW) col(dY_n)^T                 dot
//
// Parallel over the batch with the fixed partition of ConvParallel; weight and bias gradients per part, added in part
// order, so a run is reproducible for a given thread count.
using System.Buffers;
using System.Numerics.Tensors;

namespace Latent.Tensors.Kernels;

internal static unsafe class ConvDirect
{
    /// <summary>Take the direct path where it applies (the conv benchmark turns it off to time the lowering in the same
    /// run, the tests to compare both); true in the product.</summary>
    internal static bool Enabled { get; set; } = true;

    /// <summary>True when the convolution runs here: one image channel (ConvWindows.Applies) and <see cref="Enabled"/>.</summary>
    public static bool Applies(in ConvShape g) => Enabled && ConvWindows.Applies(g);

    /// <summary>Pixels of the column side a weight-gradient dot covers per call (images are grouped up to this).</summary>
    private const int DotPixels = 1536;

    /// <summary>Conv2d forward, one image channel (Conv2dKernel.Forward's contract).</summary>
    public static void ConvForward(ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> bias, Span<float> y, ConvShape s)
    {
        int f = s.OutChannels, kk = s.KernelHeight * s.KernelWidth;
        float[] packed = Pack(false, f, kk, w, kk);                                                  // W (F, KK)
        var win = new ConvWindows(s);
        fixed (float* px = x, pb = bias, py = y, pw = packed)
        {
            nint ax = (nint)px, ab = bias.IsEmpty ? 0 : (nint)pb, ay = (nint)py, aw = (nint)pw;
            ConvParallel.For(s.Batch, (_, lo, hi) =>
            {
                int ohw = s.ColCols, xLen = s.InHeight * s.InWidth;
                float[] src = ArrayPool<float>.Shared.Rent(win.Length);
                fixed (float* ps = src)
                fixed (int* offs = win.Offs)
                    for (int n = lo; n < hi; n++)
                    {
                        win.Build((float*)ax + (long)n * xLen, ps);
                        DirectGemm.Multiply(f, ohw, kk, (float*)aw, ps, offs, (float*)ay + (long)n * f * ohw, ohw,
                            ab == 0 ? DirectGemm.Store.Overwrite : DirectGemm.Store.Bias, (float*)ab);
                    }
                ArrayPool<float>.Shared.Return(src);
            });
        }
        ArrayPool<float>.Shared.Return(packed);
    }

    /// <summary>Conv2d backward, one image channel (Conv2dKernel.Backward's contract).</summary>
    public static void ConvBackward(ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> dY,
        Span<float> dX, Span<float> dW, Span<float> dB, ConvShape s)
    {
        int f = s.OutChannels, kk = s.KernelHeight * s.KernelWidth, ohw = s.ColCols, xLen = s.InHeight * s.InWidth;
        int wLen = s.WeightLength, bLen = dB.IsEmpty ? 0 : f, parts = ConvParallel.Parts(s.Batch);
        bool wantX = !dX.IsEmpty, wantW = !dW.IsEmpty;
        float[]? partials = wantW || bLen > 0 ? ArrayPool<float>.Shared.Rent(parts * (wLen + bLen)) : null;
        partials?.AsSpan(0, parts * (wLen + bLen)).Clear();
        float[]? packedT = wantX ? Pack(true, kk, f, w, kk) : null;                                   // W^T (KK, F)
        var win = new ConvWindows(s);
        int group = Math.Max(1, DotPixels / ohw);
        int[] planeOffs = PlaneOffsets(f, ohw);
        fixed (float* px = x, pdy = dY, pdx = dX, pt = packedT, pp = partials)
        {
            nint ax = (nint)px, ady = (nint)pdy, adx = (nint)pdx, at = (nint)pt, ap = (nint)pp;
            ConvParallel.For(s.Batch, (part, lo, hi) =>
            {
                float* pW = (float*)ap + part * (wLen + bLen), pB = pW + wLen;
                float[] z = ArrayPool<float>.Shared.Rent(wantX ? kk * ohw : 1);
                float[] src = ArrayPool<float>.Shared.Rent(wantW ? win.Length * group : 1);
                fixed (float* pz = z, ps = src)
                fixed (int* offs = win.Offs, po = planeOffs)
                    for (int n0 = lo; n0 < hi; n0 += group)
                    {
                        int nb = Math.Min(group, hi - n0);
                        float* dy = (float*)ady + (long)n0 * f * ohw;
                        if (wantX)
                            for (int j = 0; j < nb; j++)
                            {
                                DirectGemm.Multiply(kk, ohw, f, (float*)at, dy + (long)j * f * ohw, po, pz, ohw, DirectGemm.Store.Overwrite, null);
                                ConvColumns.Col2ImAdd(new ReadOnlySpan<float>(pz, kk * ohw), s, new Span<float>((float*)adx + (long)(n0 + j) * xLen, xLen), ohw);
                            }
                        if (wantW)
                        {
                            for (int j = 0; j < nb; j++) win.Build((float*)ax + (long)(n0 + j) * xLen, ps + (long)j * win.Length);
                            DirectGemm.Dot(f, kk, ohw, nb, dy, ohw, (long)f * ohw, ps, offs, win.Length, pW, kk);
                        }
                        for (int j = 0; j < nb; j++)
                            for (int c = 0; c < bLen; c++) pB[c] += TensorPrimitives.Sum(new ReadOnlySpan<float>(dy + ((long)j * f + c) * ohw, ohw));
                    }
                ArrayPool<float>.Shared.Return(z);
                ArrayPool<float>.Shared.Return(src);
            });
        }
        Finish(packedT, partials, parts, wantW ? dW : default, wLen, dB, bLen);
    }

    /// <summary>ConvTranspose2d forward, one output channel (ConvTranspose2dKernel.Forward's contract).</summary>
    public static void TransposedForward(ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> bias, Span<float> y, ConvShape s)
    {
        int c = s.InChannels, kk = s.KernelHeight * s.KernelWidth, hw = s.ColCols, yLen = s.OutHeight * s.OutWidth;
        float[] packedT = Pack(true, kk, c, w, kk);                                                   // W^T (KK, C)
        int[] planeOffs = PlaneOffsets(c, hw);
        float b0 = bias.IsEmpty ? 0f : bias[0];
        fixed (float* px = x, py = y, pt = packedT)
        {
            nint ax = (nint)px, ay = (nint)py, at = (nint)pt;
            ConvParallel.For(s.Batch, (_, lo, hi) =>
            {
                float[] z = ArrayPool<float>.Shared.Rent(kk * hw);
                fixed (float* pz = z)
                fixed (int* po = planeOffs)
                    for (int n = lo; n < hi; n++)
                    {
                        DirectGemm.Multiply(kk, hw, c, (float*)at, (float*)ax + (long)n * c * hw, po, pz, hw, DirectGemm.Store.Overwrite, null);
                        var yn = new Span<float>((float*)ay + (long)n * yLen, yLen);
                        yn.Fill(b0);
                        ConvColumns.Col2ImAdd(new ReadOnlySpan<float>(pz, kk * hw), s, yn, hw);
                    }
                ArrayPool<float>.Shared.Return(z);
            });
        }
        ArrayPool<float>.Shared.Return(packedT);
    }

    /// <summary>ConvTranspose2d backward, one output channel (ConvTranspose2dKernel.Backward's contract).</summary>
    public static void TransposedBackward(ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> dY,
        Span<float> dX, Span<float> dW, Span<float> dB, ConvShape s)
    {
        int c = s.InChannels, kk = s.KernelHeight * s.KernelWidth, hw = s.ColCols, yLen = s.OutHeight * s.OutWidth;
        int wLen = s.WeightLength, bLen = dB.IsEmpty ? 0 : 1, parts = ConvParallel.Parts(s.Batch);
        bool wantX = !dX.IsEmpty, wantW = !dW.IsEmpty;
        float[]? partials = wantW || bLen > 0 ? ArrayPool<float>.Shared.Rent(parts * (wLen + bLen)) : null;
        partials?.AsSpan(0, parts * (wLen + bLen)).Clear();
        float[]? packed = wantX ? Pack(false, c, kk, w, kk) : null;                                   // W (C, KK)
        var win = new ConvWindows(s);
        int group = Math.Max(1, DotPixels / hw);
        fixed (float* px = x, pdy = dY, pdx = dX, pk = packed, pp = partials)
        {
            nint ax = (nint)px, ady = (nint)pdy, adx = (nint)pdx, ak = (nint)pk, ap = (nint)pp;
            ConvParallel.For(s.Batch, (part, lo, hi) =>
            {
                float* pW = (float*)ap + part * (wLen + bLen), pB = pW + wLen;
                float[] src = ArrayPool<float>.Shared.Rent(wantX || wantW ? win.Length * group : 1);
                fixed (float* ps = src)
                fixed (int* offs = win.Offs)
                    for (int n0 = lo; n0 < hi; n0 += group)
                    {
                        int nb = Math.Min(group, hi - n0);
                        if (wantX || wantW)
                            for (int j = 0; j < nb; j++) win.Build((float*)ady + (long)(n0 + j) * yLen, ps + (long)j * win.Length);
                        if (wantX)
                            for (int j = 0; j < nb; j++)
                                DirectGemm.Multiply(c, hw, kk, (float*)ak, ps + (long)j * win.Length, offs, (float*)adx + (long)(n0 + j) * c * hw, hw,
                                    DirectGemm.Store.Accumulate, null);
                        if (wantW) DirectGemm.Dot(c, kk, hw, nb, (float*)ax + (long)n0 * c * hw, hw, (long)c * hw, ps, offs, win.Length, pW, kk);
                        for (int j = 0; j < nb && bLen > 0; j++) pB[0] += TensorPrimitives.Sum(new ReadOnlySpan<float>((float*)ady + (long)(n0 + j) * yLen, yLen));
                    }
                ArrayPool<float>.Shared.Return(src);
            });
        }
        Finish(packed, partials, parts, wantW ? dW : default, wLen, dB, bLen);
    }

    /// <summary>op(A) packed for DirectGemm.Multiply in a rented array.</summary>
    private static float[] Pack(bool trans, int m, int k, ReadOnlySpan<float> a, int lda)
    {
        float[] packed = ArrayPool<float>.Shared.Rent(DirectGemm.PackedLength(m, k));
        DirectGemm.PackA(trans, m, k, a, lda, packed);
        return packed;
    }

    /// <summary>offs[c] = c plane: B's rows are the planes of one image (C, plane) as stored.</summary>
    private static int[] PlaneOffsets(int count, int plane)
    {
        var offs = new int[count];
        for (int i = 0; i < count; i++) offs[i] = i * plane;
        return offs;
    }

    private static void Finish(float[]? packed, float[]? partials, int parts, Span<float> dW, int wLen, Span<float> dB, int bLen)
    {
        if (packed is not null) ArrayPool<float>.Shared.Return(packed);
        if (partials is null) return;
        ConvChecks.ReducePartials(partials, parts, dW, wLen, dB, bLen);
        ArrayPool<float>.Shared.Return(partials);
    }
}

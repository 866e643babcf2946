// Convolutions with few output channels over many input channels, stride 1, output as large as the input (RealNVP's
// coupling nets end in conv 3x3 64 -> 2C with C = 1, 2, 4, 8). The lowering would unfold the 64-channel input into an
// im2col matrix of 576 rows and multiply it by a 2-row weight (a GEMM tile of 6 rows holding 2); here the many-channel
// side is read as stored and only the few-channel side (the output gradient) is unfolded, into ConvWindows of the
// flipped convolution (stride 1, padding P = (K - 1) / 2: the input gradient of a "same" convolution is a "same"
// convolution of dY with the flipped kernel). Per image n, with W'[f KK + t, c] = w[f, c, t], t' = KK - 1 - t:
//
//   forward  Z (F KK, HW) = W' (F KK, C) x_n,  y_n[f] = b[f] + sum_t shift_t(Z[f KK + t])   (the packed GEMM)
//   dX       dX_n (C, HW) += W'' (C, F KK) col(dY_n),  W''[c, f KK + t'] = w[f, c, t]        (windows of dY_n)
//   dW       D (C, F KK) = sum_n x_n (C, HW) col(dY_n)^T,  dW[f, c, t] += D[c, f KK + t']    (DirectGemm.Dot)
//
// where shift_t(Z)[i, j] = Z[i + kh - P, j + kw - P] (0 outside). The forward's product reads x_n as stored through
// the packed GEMM, which packs x_n's rows one at a time (DirectGemm's tiles read 24 floats of each of the C rows in
// turn, C streams at once: about a fifth slower at 64 -> 2, 28 x 28). dX's product is written to a scratch that stays
// in L2 and then added to dX_n (accumulating in the tiles loads dX_n's cold lines in every tile's store: about half
// the speed at 64 -> 2, 28 x 28). docs/PERFORMANCE-CONV.md has the measurements. Parallel over the batch with
// ConvParallel's fixed partition, weight and bias gradients per part added in part order: reproducible for a given
// thread count.
using System.Buffers;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

namespace Latent.Tensors.Kernels;

internal static unsafe class ConvSmallOut
{
    /// <summary>Output channels up to which this path is taken (and at least 4 input channels per output channel).</summary>
    private const int MaxOut = 16;

    /// <summary>True for a square-kernel, stride-1 "same" convolution with few output channels (ConvDirect.Enabled).</summary>
    public static bool Applies(in ConvShape g) =>
        ConvDirect.Enabled && !g.Transposed && g.Stride == 1 && g.KernelHeight == g.KernelWidth && g.OutHeight == g.InHeight
        && g.OutWidth == g.InWidth && g.OutChannels <= MaxOut && g.InChannels >= 4 * g.OutChannels && ConvWindows.Fits(Flipped(g));

    /// <summary>The convolution of dY (F channels) with the flipped kernel that gives dX: its windows are dY's.</summary>
    private static ConvShape Flipped(in ConvShape g) =>
        ConvShape.Conv(g.Batch, g.OutChannels, g.InChannels, g.OutHeight, g.OutWidth, g.KernelHeight, g.KernelWidth, 1, g.KernelHeight - 1 - g.Padding);

    /// <summary>Conv2d forward (Conv2dKernel.Forward's contract) for a shape that <see cref="Applies"/>.</summary>
    public static void Forward(ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> bias, Span<float> y, ConvShape s)
    {
        int f = s.OutChannels, c = s.InChannels, kk = s.KernelHeight * s.KernelWidth, fk = f * kk, hw = s.InHeight * s.InWidth;
        float[] wt = ArrayPool<float>.Shared.Rent(fk * c);                                            // W' (F KK, C)
        for (int o = 0; o < f; o++)
            for (int ci = 0; ci < c; ci++)
                for (int t = 0; t < kk; t++) wt[(o * kk + t) * c + ci] = w[(o * c + ci) * kk + t];
        float[] packed = ConvParallel.PackWeights(false, fk, c, wt, c);
        ArrayPool<float>.Shared.Return(wt);
        fixed (float* px = x, pb = bias, py = y)
        {
            nint ax = (nint)px, ab = bias.IsEmpty ? 0 : (nint)pb, ay = (nint)py;
            ConvParallel.For(s.Batch, (_, lo, hi) =>
            {
                float[] z = ArrayPool<float>.Shared.Rent(fk * hw);
                fixed (float* pz = z)
                    for (int n = lo; n < hi; n++)
                    {
                        ConvParallel.Gemm1Packed(fk, hw, c, packed, new ReadOnlySpan<float>((float*)ax + (long)n * c * hw, c * hw), hw, 0f, z, hw);
                        ShiftAdd(pz, s, (float*)ay + (long)n * f * hw, (float*)ab);
                    }
                ArrayPool<float>.Shared.Return(z);
            });
        }
        ArrayPool<float>.Shared.Return(packed);
    }

    /// <summary>Conv2d backward (Conv2dKernel.Backward's contract) for a shape that <see cref="Applies"/>.</summary>
    public static void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> dY,
        Span<float> dX, Span<float> dW, Span<float> dB, ConvShape s)
    {
        int f = s.OutChannels, c = s.InChannels, kk = s.KernelHeight * s.KernelWidth, fk = f * kk, hw = s.InHeight * s.InWidth;
        int wLen = s.WeightLength, bLen = dB.IsEmpty ? 0 : f, parts = ConvParallel.Parts(s.Batch);
        bool wantX = !dX.IsEmpty, wantW = !dW.IsEmpty;
        float[]? partials = wantW || bLen > 0 ? ArrayPool<float>.Shared.Rent(parts * (wLen + bLen)) : null;
        partials?.AsSpan(0, parts * (wLen + bLen)).Clear();
        float[]? packed = null;
        if (wantX)
        {
            float[] a = ArrayPool<float>.Shared.Rent(c * fk);                                          // W'' (C, F KK)
            for (int o = 0; o < f; o++)
                for (int ci = 0; ci < c; ci++)
                    for (int t = 0; t < kk; t++) a[ci * fk + o * kk + (kk - 1 - t)] = w[(o * c + ci) * kk + t];
            packed = ArrayPool<float>.Shared.Rent(DirectGemm.PackedLength(c, fk));
            DirectGemm.PackA(false, c, fk, a, fk, packed);
            ArrayPool<float>.Shared.Return(a);
        }
        var win = new ConvWindows(Flipped(s));
        int group = wantW ? Math.Max(1, 1536 / hw) : 1;
        fixed (float* px = x, pdy = dY, pdx = dX, pk = packed, pp = partials)
        {
            nint ax = (nint)px, ady = (nint)pdy, adx = (nint)pdx, ak = (nint)pk, ap = (nint)pp;
            ConvParallel.For(s.Batch, (part, lo, hi) =>
            {
                float* pD = (float*)ap + part * (wLen + bLen), pB = pD + wLen;                 // D (C, F KK) in W's floats
                float[] src = ArrayPool<float>.Shared.Rent(wantX || wantW ? win.Length * group : 1);
                float[]? scratch = wantX ? ArrayPool<float>.Shared.Rent(c * hw) : null;                  // dX_n's product (C, HW)
                fixed (float* ps = src, pt = scratch)
                fixed (int* offs = win.Offs)
                    for (int n0 = lo; n0 < hi; n0 += group)
                    {
                        int nb = Math.Min(group, hi - n0);
                        float* dy = (float*)ady + (long)n0 * f * hw;
                        if (wantX || wantW)
                            for (int j = 0; j < nb; j++) win.Build(dy + (long)j * f * hw, ps + (long)j * win.Length, refill: n0 > lo);
                        if (wantX)
                            for (int j = 0; j < nb; j++)
                            {
                                // Into a scratch that stays in L2, then added to dX_n: accumulating in the tiles would load
                                // dX_n's cold lines inside the K = F KK loop's stores (measured slower, PERFORMANCE-CONV.md).
                                DirectGemm.Multiply(c, hw, fk, (float*)ak, ps + (long)j * win.Length, offs, pt, hw, DirectGemm.Store.Overwrite, null);
                                var dxn = new Span<float>((float*)adx + (long)(n0 + j) * c * hw, c * hw);
                                TensorPrimitives.Add(dxn, new ReadOnlySpan<float>(pt, c * hw), dxn);
                            }
                        if (wantW) DirectGemm.Dot(c, fk, hw, nb, (float*)ax + (long)n0 * c * hw, hw, (long)c * hw, ps, offs, win.Length, pD, fk);
                        for (int j = 0; j < nb; j++)
                            for (int o = 0; o < bLen; o++) pB[o] += TensorPrimitives.Sum(new ReadOnlySpan<float>(dy + ((long)j * f + o) * hw, hw));
                    }
                ArrayPool<float>.Shared.Return(src);
                if (scratch is not null) ArrayPool<float>.Shared.Return(scratch);
            });
        }
        if (packed is not null) ArrayPool<float>.Shared.Return(packed);
        if (partials is null) return;
        float[] total = ArrayPool<float>.Shared.Rent(wLen + bLen);
        total.AsSpan(0, wLen + bLen).Clear();
        for (int t = 0; t < parts; t++) TensorPrimitives.Add(total.AsSpan(0, wLen + bLen), partials.AsSpan(t * (wLen + bLen), wLen + bLen), total.AsSpan(0, wLen + bLen));
        if (wantW)
            for (int o = 0; o < f; o++)
                for (int ci = 0; ci < c; ci++)
                    for (int t = 0; t < kk; t++) dW[(o * c + ci) * kk + t] += total[ci * fk + o * kk + (kk - 1 - t)];
        for (int o = 0; o < bLen; o++) dB[o] += total[wLen + o];
        ArrayPool<float>.Shared.Return(total);
        ArrayPool<float>.Shared.Return(partials);
    }

    /// <summary>y[f] = b[f] + sum_t shift_t(Z[f KK + t]) for one image: y (F, H, W), Z (F KK, H, W), b empty (null) or F.</summary>
    private static void ShiftAdd(float* z, in ConvShape g, float* y, float* bias)
    {
        int f = g.OutChannels, h = g.OutHeight, wd = g.OutWidth, k = g.KernelHeight, kk = k * k, p = g.Padding, hw = h * wd;
        for (int o = 0; o < f; o++)
        {
            float* yp = y + (long)o * hw;
            new Span<float>(yp, hw).Fill(bias == null ? 0f : bias[o]);
            for (int kh = 0; kh < k; kh++)
                for (int kw = 0; kw < k; kw++)
                {
                    int dh = kh - p, dw = kw - p, iLo = Math.Max(0, -dh), iHi = Math.Min(h, h - dh), jLo = Math.Max(0, -dw), jHi = Math.Min(wd, wd - dw);
                    float* zp = z + (long)(o * kk + kh * k + kw) * hw + dh * wd + dw;
                    for (int i = iLo; i < iHi; i++) AddRow(yp + i * wd, zp + i * wd, jLo, jHi);
                }
        }
    }

    /// <summary>d[j] += s[j] for lo &lt;= j &lt; hi.</summary>
    private static void AddRow(float* d, float* s, int lo, int hi)
    {
        int j = lo;
        if (Vector256.IsHardwareAccelerated)
            for (; j + 8 <= hi; j += 8) Vector256.Store(Vector256.Load(d + j) + Vector256.Load(s + j), d + j);
        for (; j < hi; j++) d[j] += s[j];
    }
}

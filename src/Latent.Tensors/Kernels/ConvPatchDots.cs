// The weight gradient of a one-image-channel 4 x 4 convolution (the DCGAN's D1 conv 1 -> 64 and G2 convT 64 -> 1) as a
// product whose vector dimension is the 16 taps, accumulated over every pixel of every image in registers:
//
//   dW[m, t] += sum_n sum_p A_n[m, p] P_n[p, t]        P_n[p, kh 4 + kw] = img_n[S i - P + kh, S j - P + kw],  p = i OW + j
//   conv:  A = dY_n (F, OH OW), img = x_n     convT: A = x_n (C, H W), img = dY_n      (ConvDirect's WeightGradient roles)
//
// Per image the patches P_n (OH OW x 16, one 4 x 4 window a row: four 128-bit loads from a zero-bordered copy of the
// image, two 256-bit stores) are built once into L1; then per block of 6 channels (one of 4 where 6 does not divide) the
// block's dW rows (12 vectors: 6 channels x 16 taps) stay in registers across all OH OW pixels: per pixel two patch
// vectors and 6 broadcasts of A feed 12 FMAs, as the GEMM's own 6 x 16 tile, with K = the 196 pixels instead of the
// tap-pair dots' 16 taps over 8-pixel vectors (whose 12 partial sums were loaded and stored every 25 vector steps, and
// whose windows were two stride-2 gathers per row). The bias gradient is summed per block from L1 as there, into 8-lane
// partials per channel (ConvDirect.AddRowSums8) reduced once per part.
// Requires AVX2 + FMA, ConvDirect (one image channel), a 4 x 4 kernel and channels in blocks of 6 with at most one
// block of 4. Parallel over the batch with ConvParallel's fixed partition, per-part gradients added in part order.
using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Latent.Tensors.Kernels;

internal static unsafe class ConvPatchDots
{
    private const int Taps = 16;

    /// <summary>True when the weight gradient runs here: ConvDirect applies, AVX2 + FMA, a 4 x 4 kernel, channels in
    /// blocks of 6 with at most one block of 4.</summary>
    public static bool Applies(in ConvShape g)
    {
        int chan = g.Transposed ? g.InChannels : g.OutChannels;
        return ConvDirect.Applies(g) && DirectGemm.Avx2Tiles && g.KernelHeight == 4 && g.KernelWidth == 4 && chan % 6 is 0 or 4;
    }

    /// <summary>dW (M, 1, 4, 4) += sum_n A_n P_n, dB += the bias gradient (dB may be empty): the roles of
    /// ConvDirect.ConvWeightGradient (transposed false) and TransposedWeightGradient (true).</summary>
    public static void WeightGradient(ReadOnlySpan<float> x, ReadOnlySpan<float> dY, Span<float> dW, Span<float> dB, ConvShape s, bool transposed)
    {
        int chan = transposed ? s.InChannels : s.OutChannels, cols = s.ColCols;
        int imageLen = s.ImageHeight * s.ImageWidth, yLen = s.OutChannels * s.OutHeight * s.OutWidth;
        int wLen = s.WeightLength, bLen = dB.IsEmpty ? 0 : s.OutChannels, parts = ConvParallel.Parts(s.Batch);
        float[] partials = ArrayPool<float>.Shared.Rent(parts * (wLen + bLen));
        partials.AsSpan(0, parts * (wLen + bLen)).Clear();
        var geo = new PatchGeometry(s);
        fixed (float* px = x, pdy = dY, pp = partials)
        {
            nint ax = (nint)px, ady = (nint)pdy, ap = (nint)pp;
            ConvParallel.For(s.Batch, (part, lo, hi) =>
            {
                float* pW = (float*)ap + part * (wLen + bLen), pB = pW + wLen;
                float* image = transposed ? (float*)ady : (float*)ax, a = transposed ? (float*)ax : (float*)ady;   // patches of / rows of
                // The bordered image and the patches, from a 64-byte boundary.
                float[] buf = ArrayPool<float>.Shared.Rent(geo.PaddedLength + cols * Taps + chan * 8 + BufferKernels.AlignSlack);
                fixed (float* pbuf = buf)
                {
                    float* padded = BufferKernels.Align64(pbuf), patches = padded + geo.PaddedLength, sums = patches + cols * Taps;
                    new Span<float>(padded, geo.PaddedLength).Clear();          // the border stays zero
                    new Span<float>(sums, chan * 8).Clear();
                    for (int n = lo; n < hi; n++)
                    {
                        geo.Fill(image + (long)n * imageLen, padded, patches);
                        float* an = a + (long)n * chan * cols;
                        for (int i = 0; i < chan; i += 6)
                        {
                            float* ai = an + (long)i * cols;
                            if (chan - i >= 6) Dot6(cols, ai, patches, pW + i * Taps);
                            else Dot4(cols, ai, patches, pW + i * Taps);
                            if (!transposed && bLen > 0)                                    // the conv's dB: row sums of dY, from L1
                                ConvDirect.AddRowSums8(ai, cols, cols, Math.Min(6, chan - i), sums + i * 8);
                        }
                        if (transposed && bLen > 0) pB[0] += ConvDirect.RowSum((float*)ady + (long)n * yLen, yLen);
                    }
                    if (!transposed && bLen > 0) ConvDirect.SumLanes8(sums, chan, pB);
                }
                ArrayPool<float>.Shared.Return(buf);
            });
        }
        ConvChecks.ReducePartials(partials, parts, dW, wLen, dB, bLen);
        ArrayPool<float>.Shared.Return(partials);
    }

    /// <summary>The zero-bordered copy of one image (rows and columns -P .. so that every 4 x 4 window lies inside) and
    /// the patches read from it.</summary>
    private sealed class PatchGeometry
    {
        private readonly int _h, _w, _p, _s, _oh, _ow, _pitch;

        public PatchGeometry(in ConvShape g)
        {
            _h = g.ImageHeight; _w = g.ImageWidth; _p = g.Padding; _s = g.Stride; _oh = g.ColHeight; _ow = g.ColWidth;
            _pitch = Math.Max(_w + 2 * _p, _s * (_ow - 1) + 4);
            int rows = Math.Max(_h + 2 * _p, _s * (_oh - 1) + 4);
            PaddedLength = (rows * _pitch + 15) / 16 * 16;
        }

        /// <summary>Floats of the bordered image.</summary>
        public int PaddedLength { get; }

        /// <summary>Copies the image into the border's inside, then writes patch p = i OW + j as 16 floats: the window's
        /// four rows of four.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Fill(float* image, float* padded, float* patches)
        {
            for (int r = 0; r < _h; r++)
                new ReadOnlySpan<float>(image + (long)r * _w, _w).CopyTo(new Span<float>(padded + (r + _p) * _pitch + _p, _w));
            nint pitch = _pitch, rowStep = _s * pitch;
            float* d = patches;
            for (int i = 0; i < _oh; i++)
            {
                float* row = padded + i * rowStep;
                for (int j = 0; j < _ow; j++, d += Taps)
                {
                    float* q = row + _s * j;
                    Avx.Store(d, Vector256.Create(Sse.LoadVector128(q), Sse.LoadVector128(q + pitch)));
                    Avx.Store(d + 8, Vector256.Create(Sse.LoadVector128(q + 2 * pitch), Sse.LoadVector128(q + 3 * pitch)));
                }
            }
        }
    }

    // dw[m 16 + t] += sum_{p < cols} a[m cols + p] patches[16 p + t] for m < 6: 12 accumulators (6 channels x two
    // 8-tap vectors) loaded once and stored once per call.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Dot6(int cols, float* a, float* patches, float* dw)
    {
        Vector256<float> c00 = Avx.LoadVector256(dw), c01 = Avx.LoadVector256(dw + 8), c10 = Avx.LoadVector256(dw + 16), c11 = Avx.LoadVector256(dw + 24);
        Vector256<float> c20 = Avx.LoadVector256(dw + 32), c21 = Avx.LoadVector256(dw + 40), c30 = Avx.LoadVector256(dw + 48), c31 = Avx.LoadVector256(dw + 56);
        Vector256<float> c40 = Avx.LoadVector256(dw + 64), c41 = Avx.LoadVector256(dw + 72), c50 = Avx.LoadVector256(dw + 80), c51 = Avx.LoadVector256(dw + 88);
        nint ld = cols;
        float* a3 = a + 3 * ld;
        for (float* pt = patches, end = patches + (nint)cols * Taps; pt < end; pt += Taps, a++, a3++)
        {
            Vector256<float> p0 = Avx.LoadVector256(pt), p1 = Avx.LoadVector256(pt + 8), v;
            v = Avx.BroadcastScalarToVector256(a); c00 = Fma.MultiplyAdd(v, p0, c00); c01 = Fma.MultiplyAdd(v, p1, c01);
            v = Avx.BroadcastScalarToVector256(a + ld); c10 = Fma.MultiplyAdd(v, p0, c10); c11 = Fma.MultiplyAdd(v, p1, c11);
            v = Avx.BroadcastScalarToVector256(a + 2 * ld); c20 = Fma.MultiplyAdd(v, p0, c20); c21 = Fma.MultiplyAdd(v, p1, c21);
            v = Avx.BroadcastScalarToVector256(a3); c30 = Fma.MultiplyAdd(v, p0, c30); c31 = Fma.MultiplyAdd(v, p1, c31);
            v = Avx.BroadcastScalarToVector256(a3 + ld); c40 = Fma.MultiplyAdd(v, p0, c40); c41 = Fma.MultiplyAdd(v, p1, c41);
            v = Avx.BroadcastScalarToVector256(a3 + 2 * ld); c50 = Fma.MultiplyAdd(v, p0, c50); c51 = Fma.MultiplyAdd(v, p1, c51);
        }
        Avx.Store(dw, c00); Avx.Store(dw + 8, c01); Avx.Store(dw + 16, c10); Avx.Store(dw + 24, c11);
        Avx.Store(dw + 32, c20); Avx.Store(dw + 40, c21); Avx.Store(dw + 48, c30); Avx.Store(dw + 56, c31);
        Avx.Store(dw + 64, c40); Avx.Store(dw + 72, c41); Avx.Store(dw + 80, c50); Avx.Store(dw + 88, c51);
    }

    // The same for 4 channels (8 accumulators): the one block of 4 where 6 does not divide the channels.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Dot4(int cols, float* a, float* patches, float* dw)
    {
        Vector256<float> c00 = Avx.LoadVector256(dw), c01 = Avx.LoadVector256(dw + 8), c10 = Avx.LoadVector256(dw + 16), c11 = Avx.LoadVector256(dw + 24);
        Vector256<float> c20 = Avx.LoadVector256(dw + 32), c21 = Avx.LoadVector256(dw + 40), c30 = Avx.LoadVector256(dw + 48), c31 = Avx.LoadVector256(dw + 56);
        nint ld = cols;
        for (float* pt = patches, end = patches + (nint)cols * Taps; pt < end; pt += Taps, a++)
        {
            Vector256<float> p0 = Avx.LoadVector256(pt), p1 = Avx.LoadVector256(pt + 8), v;
            v = Avx.BroadcastScalarToVector256(a); c00 = Fma.MultiplyAdd(v, p0, c00); c01 = Fma.MultiplyAdd(v, p1, c01);
            v = Avx.BroadcastScalarToVector256(a + ld); c10 = Fma.MultiplyAdd(v, p0, c10); c11 = Fma.MultiplyAdd(v, p1, c11);
            v = Avx.BroadcastScalarToVector256(a + 2 * ld); c20 = Fma.MultiplyAdd(v, p0, c20); c21 = Fma.MultiplyAdd(v, p1, c21);
            v = Avx.BroadcastScalarToVector256(a + 3 * ld); c30 = Fma.MultiplyAdd(v, p0, c30); c31 = Fma.MultiplyAdd(v, p1, c31);
        }
        Avx.Store(dw, c00); Avx.Store(dw + 8, c01); Avx.Store(dw + 16, c10); Avx.Store(dw + 24, c11);
        Avx.Store(dw + 32, c20); Avx.Store(dw + 40, c21); Avx.Store(dw + 48, c30); Avx.Store(dw + 56, c31);
    }
}

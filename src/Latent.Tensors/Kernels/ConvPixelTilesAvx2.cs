// ConvPixelTiles's register tile (AVX2 + FMA): 6 pixels x 16 channels of the transposed product
//
//   T (pixels, M) = col^T (pixels, Ci KK) W^T (Ci KK, M),   col^T[i, p] = img[x_i + offs[p]]
//
// held in 12 Vector256 accumulators (two per pixel), as GemmAvx2.Kernel6x16 with the roles of A and B taken by the image
// read in place and the packed weights: per contraction step p (channel c, tap kh, kw) one offset load, the panel's
// 16-float row of W^T (two loads) and six broadcasts, one from each pixel's window (x_i + offs[p]), for 12 FMAs.
// 12 accumulators + 2 weight vectors + 1 broadcast = 15 of the 16 ymm registers.
//
//   d_i[0 .. 16) (= | +=) sum_{p < steps} x_i[offs[p]] b[16 p .. 16 p + 16),   i < 6
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Latent.Tensors.Kernels;

internal static unsafe class ConvPixelTilesAvx2
{
    /// <summary>Pixels of a tile (broadcast operand).</summary>
    public const int Rows = 6;

    /// <summary>Channels of a tile (two vectors).</summary>
    public const int Cols = 16;

    /// <summary>One 6 x 16 tile: d[i][j] (=, or += when <paramref name="add"/>) sum_p x[i][offs[p]] b[16 p + j].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Tile(int steps, int* offs, float* b, float** x, float** d, bool add)
    {
        float* x0 = x[0], x1 = x[1], x2 = x[2], x3 = x[3], x4 = x[4], x5 = x[5];
        Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector256<float> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        for (int p = 0; p < steps; p++, b += 16)
        {
            nint o = offs[p];
            Vector256<float> b0 = Avx.LoadVector256(b), b1 = Avx.LoadVector256(b + 8);
            Vector256<float> a = Avx.BroadcastScalarToVector256(x0 + o);
            c00 = Fma.MultiplyAdd(a, b0, c00); c01 = Fma.MultiplyAdd(a, b1, c01);
            a = Avx.BroadcastScalarToVector256(x1 + o);
            c10 = Fma.MultiplyAdd(a, b0, c10); c11 = Fma.MultiplyAdd(a, b1, c11);
            a = Avx.BroadcastScalarToVector256(x2 + o);
            c20 = Fma.MultiplyAdd(a, b0, c20); c21 = Fma.MultiplyAdd(a, b1, c21);
            a = Avx.BroadcastScalarToVector256(x3 + o);
            c30 = Fma.MultiplyAdd(a, b0, c30); c31 = Fma.MultiplyAdd(a, b1, c31);
            a = Avx.BroadcastScalarToVector256(x4 + o);
            c40 = Fma.MultiplyAdd(a, b0, c40); c41 = Fma.MultiplyAdd(a, b1, c41);
            a = Avx.BroadcastScalarToVector256(x5 + o);
            c50 = Fma.MultiplyAdd(a, b0, c50); c51 = Fma.MultiplyAdd(a, b1, c51);
        }
        Store(d[0], c00, c01, add);
        Store(d[1], c10, c11, add);
        Store(d[2], c20, c21, add);
        Store(d[3], c30, c31, add);
        Store(d[4], c40, c41, add);
        Store(d[5], c50, c51, add);
    }

    /// <summary>dst[c ldDst + r] (=, = + bias[c], += by <paramref name="mode"/> 0, 1, 2) src[r ldSrc + c] for r, c &lt; 8: an
    /// 8 x 8 block of T (8 pixels of 8 channels) into 8 channel rows of the output (GemmTranspose's sequence).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreTransposed8x8(float* src, nint ldSrc, float* dst, nint ldDst, int mode, float* bias)
    {
        Vector256<float> r0 = Avx.LoadVector256(src), r1 = Avx.LoadVector256(src + ldSrc);
        Vector256<float> r2 = Avx.LoadVector256(src + 2 * ldSrc), r3 = Avx.LoadVector256(src + 3 * ldSrc);
        Vector256<float> r4 = Avx.LoadVector256(src + 4 * ldSrc), r5 = Avx.LoadVector256(src + 5 * ldSrc);
        Vector256<float> r6 = Avx.LoadVector256(src + 6 * ldSrc), r7 = Avx.LoadVector256(src + 7 * ldSrc);
        Vector256<float> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1), t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
        Vector256<float> t4 = Avx.UnpackLow(r4, r5), t5 = Avx.UnpackHigh(r4, r5), t6 = Avx.UnpackLow(r6, r7), t7 = Avx.UnpackHigh(r6, r7);
        Vector256<float> s0 = Avx.Shuffle(t0, t2, 0x44), s1 = Avx.Shuffle(t0, t2, 0xEE), s2 = Avx.Shuffle(t1, t3, 0x44), s3 = Avx.Shuffle(t1, t3, 0xEE);
        Vector256<float> s4 = Avx.Shuffle(t4, t6, 0x44), s5 = Avx.Shuffle(t4, t6, 0xEE), s6 = Avx.Shuffle(t5, t7, 0x44), s7 = Avx.Shuffle(t5, t7, 0xEE);
        Put(dst, Avx.Permute2x128(s0, s4, 0x20), mode, bias);
        Put(dst + ldDst, Avx.Permute2x128(s1, s5, 0x20), mode, bias + 1);
        Put(dst + 2 * ldDst, Avx.Permute2x128(s2, s6, 0x20), mode, bias + 2);
        Put(dst + 3 * ldDst, Avx.Permute2x128(s3, s7, 0x20), mode, bias + 3);
        Put(dst + 4 * ldDst, Avx.Permute2x128(s0, s4, 0x31), mode, bias + 4);
        Put(dst + 5 * ldDst, Avx.Permute2x128(s1, s5, 0x31), mode, bias + 5);
        Put(dst + 6 * ldDst, Avx.Permute2x128(s2, s6, 0x31), mode, bias + 6);
        Put(dst + 7 * ldDst, Avx.Permute2x128(s3, s7, 0x31), mode, bias + 7);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Put(float* d, Vector256<float> v, int mode, float* bias)
    {
        if (mode == 1) v = Avx.Add(v, Avx.BroadcastScalarToVector256(bias));
        else if (mode == 2) v = Avx.Add(Avx.LoadVector256(d), v);
        Avx.Store(d, v);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(float* d, Vector256<float> v0, Vector256<float> v1, bool add)
    {
        if (add)
        {
            v0 = Avx.Add(v0, Avx.LoadVector256(d));
            v1 = Avx.Add(v1, Avx.LoadVector256(d + 8));
        }
        Avx.Store(d, v0);
        Avx.Store(d + 8, v1);
    }
}

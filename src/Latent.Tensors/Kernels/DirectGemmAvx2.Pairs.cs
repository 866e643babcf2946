// The weight-gradient dots of the 16-tap one-channel layers (the DCGAN's D1 and G2, 4 x 4 kernels): 6 (or 4) rows of A
// against 2 rows of B, 12 (8) vector partial sums that live in memory between calls (acc, 8 floats each) instead of
// being reduced at the end of every call. So a call can cover one image (196 pixels, 25 vectors) and keep its A rows
// (6 x 196 floats) and the image's windows in L1 across the 8 tap pairs, without 12 horizontal sums per call. Per 8
// pixels: 2 window loads, 6 A loads, 12 FMAs; 12 accumulators + 2 window vectors + one A vector fit the 16 ymm registers.
//
// DotTriples4 is the same for 4 rows of A against 3 rows of B (the 9-tap layers, e1 and d5): their 4 x 3 dots reduced
// at the end of every call (one image) spent as long on 12 horizontal sums per call as the bias gradient took.
//
//   acc[(r TR + t) 8 + lane] += sum over q = lane (mod 8), q < len, of a[r lda + q] b[offs[t] + q],  r < 6 (4), t < TR = 2 (3)
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Latent.Tensors.Kernels;

internal static unsafe partial class DirectGemmAvx2
{
    /// <summary>acc (6 x 2 vectors) += the dots of A's 6 rows (pitch lda, len floats, read exactly) with B's two rows at
    /// b + o0 and b + o1 (read up to 7 floats past len: the windows' zero slack), as vector partial sums.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void DotPairs6(int len, float* a, long lda, float* b0, float* b1, float* acc)
    {
        Vector256<float> s00 = Avx.LoadVector256(acc), s01 = Avx.LoadVector256(acc + 8), s10 = Avx.LoadVector256(acc + 16), s11 = Avx.LoadVector256(acc + 24);
        Vector256<float> s20 = Avx.LoadVector256(acc + 32), s21 = Avx.LoadVector256(acc + 40), s30 = Avx.LoadVector256(acc + 48), s31 = Avx.LoadVector256(acc + 56);
        Vector256<float> s40 = Avx.LoadVector256(acc + 64), s41 = Avx.LoadVector256(acc + 72), s50 = Avx.LoadVector256(acc + 80), s51 = Avx.LoadVector256(acc + 88);
        float* a1 = a + lda, a2 = a1 + lda, a3 = a2 + lda, a4 = a3 + lda, a5 = a4 + lda;
        int full = len & ~7, q = 0;
        for (; q < full; q += 8)
        {
            Vector256<float> v0 = Avx.LoadVector256(b0 + q), v1 = Avx.LoadVector256(b1 + q);
            Vector256<float> x = Avx.LoadVector256(a + q);
            s00 = Fma.MultiplyAdd(x, v0, s00); s01 = Fma.MultiplyAdd(x, v1, s01);
            x = Avx.LoadVector256(a1 + q);
            s10 = Fma.MultiplyAdd(x, v0, s10); s11 = Fma.MultiplyAdd(x, v1, s11);
            x = Avx.LoadVector256(a2 + q);
            s20 = Fma.MultiplyAdd(x, v0, s20); s21 = Fma.MultiplyAdd(x, v1, s21);
            x = Avx.LoadVector256(a3 + q);
            s30 = Fma.MultiplyAdd(x, v0, s30); s31 = Fma.MultiplyAdd(x, v1, s31);
            x = Avx.LoadVector256(a4 + q);
            s40 = Fma.MultiplyAdd(x, v0, s40); s41 = Fma.MultiplyAdd(x, v1, s41);
            x = Avx.LoadVector256(a5 + q);
            s50 = Fma.MultiplyAdd(x, v0, s50); s51 = Fma.MultiplyAdd(x, v1, s51);
        }
        if (q < len)
        {
            Vector256<float> mask = TailMask(len - q);                                 // A's last, partial vector read masked
            Vector256<float> v0 = Avx.LoadVector256(b0 + q), v1 = Avx.LoadVector256(b1 + q);
            Vector256<float> x = Avx.MaskLoad(a + q, mask);
            s00 = Fma.MultiplyAdd(x, v0, s00); s01 = Fma.MultiplyAdd(x, v1, s01);
            x = Avx.MaskLoad(a1 + q, mask);
            s10 = Fma.MultiplyAdd(x, v0, s10); s11 = Fma.MultiplyAdd(x, v1, s11);
            x = Avx.MaskLoad(a2 + q, mask);
            s20 = Fma.MultiplyAdd(x, v0, s20); s21 = Fma.MultiplyAdd(x, v1, s21);
            x = Avx.MaskLoad(a3 + q, mask);
            s30 = Fma.MultiplyAdd(x, v0, s30); s31 = Fma.MultiplyAdd(x, v1, s31);
            x = Avx.MaskLoad(a4 + q, mask);
            s40 = Fma.MultiplyAdd(x, v0, s40); s41 = Fma.MultiplyAdd(x, v1, s41);
            x = Avx.MaskLoad(a5 + q, mask);
            s50 = Fma.MultiplyAdd(x, v0, s50); s51 = Fma.MultiplyAdd(x, v1, s51);
        }
        Avx.Store(acc, s00); Avx.Store(acc + 8, s01); Avx.Store(acc + 16, s10); Avx.Store(acc + 24, s11);
        Avx.Store(acc + 32, s20); Avx.Store(acc + 40, s21); Avx.Store(acc + 48, s30); Avx.Store(acc + 56, s31);
        Avx.Store(acc + 64, s40); Avx.Store(acc + 72, s41); Avx.Store(acc + 80, s50); Avx.Store(acc + 88, s51);
    }

    /// <summary><see cref="DotPairs6"/> for 4 rows of A (the rows left after the blocks of 6).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void DotPairs4(int len, float* a, long lda, float* b0, float* b1, float* acc)
    {
        Vector256<float> s00 = Avx.LoadVector256(acc), s01 = Avx.LoadVector256(acc + 8), s10 = Avx.LoadVector256(acc + 16), s11 = Avx.LoadVector256(acc + 24);
        Vector256<float> s20 = Avx.LoadVector256(acc + 32), s21 = Avx.LoadVector256(acc + 40), s30 = Avx.LoadVector256(acc + 48), s31 = Avx.LoadVector256(acc + 56);
        float* a1 = a + lda, a2 = a1 + lda, a3 = a2 + lda;
        int full = len & ~7, q = 0;
        for (; q < full; q += 8)
        {
            Vector256<float> v0 = Avx.LoadVector256(b0 + q), v1 = Avx.LoadVector256(b1 + q);
            Vector256<float> x = Avx.LoadVector256(a + q);
            s00 = Fma.MultiplyAdd(x, v0, s00); s01 = Fma.MultiplyAdd(x, v1, s01);
            x = Avx.LoadVector256(a1 + q);
            s10 = Fma.MultiplyAdd(x, v0, s10); s11 = Fma.MultiplyAdd(x, v1, s11);
            x = Avx.LoadVector256(a2 + q);
            s20 = Fma.MultiplyAdd(x, v0, s20); s21 = Fma.MultiplyAdd(x, v1, s21);
            x = Avx.LoadVector256(a3 + q);
            s30 = Fma.MultiplyAdd(x, v0, s30); s31 = Fma.MultiplyAdd(x, v1, s31);
        }
        if (q < len)
        {
            Vector256<float> mask = TailMask(len - q);
            Vector256<float> v0 = Avx.LoadVector256(b0 + q), v1 = Avx.LoadVector256(b1 + q);
            Vector256<float> x = Avx.MaskLoad(a + q, mask);
            s00 = Fma.MultiplyAdd(x, v0, s00); s01 = Fma.MultiplyAdd(x, v1, s01);
            x = Avx.MaskLoad(a1 + q, mask);
            s10 = Fma.MultiplyAdd(x, v0, s10); s11 = Fma.MultiplyAdd(x, v1, s11);
            x = Avx.MaskLoad(a2 + q, mask);
            s20 = Fma.MultiplyAdd(x, v0, s20); s21 = Fma.MultiplyAdd(x, v1, s21);
            x = Avx.MaskLoad(a3 + q, mask);
            s30 = Fma.MultiplyAdd(x, v0, s30); s31 = Fma.MultiplyAdd(x, v1, s31);
        }
        Avx.Store(acc, s00); Avx.Store(acc + 8, s01); Avx.Store(acc + 16, s10); Avx.Store(acc + 24, s11);
        Avx.Store(acc + 32, s20); Avx.Store(acc + 40, s21); Avx.Store(acc + 48, s30); Avx.Store(acc + 56, s31);
    }

    /// <summary>acc (4 x 3 vectors) += the dots of A's 4 rows (pitch lda, len floats, read exactly) with B's three rows at
    /// b0, b1, b2 (read up to 7 floats past len), as vector partial sums.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void DotTriples4(int len, float* a, long lda, float* b0, float* b1, float* b2, float* acc)
    {
        Vector256<float> s00 = Avx.LoadVector256(acc), s01 = Avx.LoadVector256(acc + 8), s02 = Avx.LoadVector256(acc + 16);
        Vector256<float> s10 = Avx.LoadVector256(acc + 24), s11 = Avx.LoadVector256(acc + 32), s12 = Avx.LoadVector256(acc + 40);
        Vector256<float> s20 = Avx.LoadVector256(acc + 48), s21 = Avx.LoadVector256(acc + 56), s22 = Avx.LoadVector256(acc + 64);
        Vector256<float> s30 = Avx.LoadVector256(acc + 72), s31 = Avx.LoadVector256(acc + 80), s32 = Avx.LoadVector256(acc + 88);
        float* a1 = a + lda, a2 = a1 + lda, a3 = a2 + lda;
        int full = len & ~7, q = 0;
        for (; q < full; q += 8)
        {
            Vector256<float> v0 = Avx.LoadVector256(b0 + q), v1 = Avx.LoadVector256(b1 + q), v2 = Avx.LoadVector256(b2 + q);
            Vector256<float> x = Avx.LoadVector256(a + q);
            s00 = Fma.MultiplyAdd(x, v0, s00); s01 = Fma.MultiplyAdd(x, v1, s01); s02 = Fma.MultiplyAdd(x, v2, s02);
            x = Avx.LoadVector256(a1 + q);
            s10 = Fma.MultiplyAdd(x, v0, s10); s11 = Fma.MultiplyAdd(x, v1, s11); s12 = Fma.MultiplyAdd(x, v2, s12);
            x = Avx.LoadVector256(a2 + q);
            s20 = Fma.MultiplyAdd(x, v0, s20); s21 = Fma.MultiplyAdd(x, v1, s21); s22 = Fma.MultiplyAdd(x, v2, s22);
            x = Avx.LoadVector256(a3 + q);
            s30 = Fma.MultiplyAdd(x, v0, s30); s31 = Fma.MultiplyAdd(x, v1, s31); s32 = Fma.MultiplyAdd(x, v2, s32);
        }
        if (q < len)
        {
            Vector256<float> mask = TailMask(len - q);                                 // A's last, partial vector read masked
            Vector256<float> v0 = Avx.LoadVector256(b0 + q), v1 = Avx.LoadVector256(b1 + q), v2 = Avx.LoadVector256(b2 + q);
            Vector256<float> x = Avx.MaskLoad(a + q, mask);
            s00 = Fma.MultiplyAdd(x, v0, s00); s01 = Fma.MultiplyAdd(x, v1, s01); s02 = Fma.MultiplyAdd(x, v2, s02);
            x = Avx.MaskLoad(a1 + q, mask);
            s10 = Fma.MultiplyAdd(x, v0, s10); s11 = Fma.MultiplyAdd(x, v1, s11); s12 = Fma.MultiplyAdd(x, v2, s12);
            x = Avx.MaskLoad(a2 + q, mask);
            s20 = Fma.MultiplyAdd(x, v0, s20); s21 = Fma.MultiplyAdd(x, v1, s21); s22 = Fma.MultiplyAdd(x, v2, s22);
            x = Avx.MaskLoad(a3 + q, mask);
            s30 = Fma.MultiplyAdd(x, v0, s30); s31 = Fma.MultiplyAdd(x, v1, s31); s32 = Fma.MultiplyAdd(x, v2, s32);
        }
        Avx.Store(acc, s00); Avx.Store(acc + 8, s01); Avx.Store(acc + 16, s02);
        Avx.Store(acc + 24, s10); Avx.Store(acc + 32, s11); Avx.Store(acc + 40, s12);
        Avx.Store(acc + 48, s20); Avx.Store(acc + 56, s21); Avx.Store(acc + 64, s22);
        Avx.Store(acc + 72, s30); Avx.Store(acc + 80, s31); Avx.Store(acc + 88, s32);
    }
}

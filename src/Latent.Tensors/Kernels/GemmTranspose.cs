// An 8 x 8 block transpose in AVX registers (unpack, shuffle, 128-bit lane permute: the classic
// sequence, e.g. Intel's optimisation manual, "8x8 matrix transpose"), used to pack the operands
// whose panel runs across their rows (a transposed B, a row-major A in 8-row panels) with whole
// vector loads and stores instead of strided scalar writes.
//
//   dst[c * ldDst + r] = src[r * ldSrc + c]      for r, c in [0, 8)
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Latent.Tensors.Kernels;

internal static unsafe class GemmTranspose
{
    public static bool IsSupported => Avx.IsSupported;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Block8x8(float* src, nint ldSrc, float* dst, nint ldDst)
        => Transpose(src, ldSrc, dst, ldDst, Avx.LoadVector256(src + 6 * ldSrc), Avx.LoadVector256(src + 7 * ldSrc));

    /// <summary>
    /// Six rows of 8: dst[c * 6 + r] = src[r * ldSrc + c]. Each of the 8 stores writes 8 floats, the
    /// last two spilling into the next column's slot (overwritten by the next store) and, after the
    /// last, into dst[48 .. 50): the caller keeps that room.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Block6x8(float* src, nint ldSrc, float* dst)
        => Transpose(src, ldSrc, dst, 6, Vector256<float>.Zero, Vector256<float>.Zero);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose(float* src, nint ldSrc, float* dst, nint ldDst, Vector256<float> r6, Vector256<float> r7)
    {
        Vector256<float> r0 = Avx.LoadVector256(src), r1 = Avx.LoadVector256(src + ldSrc);
        Vector256<float> r2 = Avx.LoadVector256(src + 2 * ldSrc), r3 = Avx.LoadVector256(src + 3 * ldSrc);
        Vector256<float> r4 = Avx.LoadVector256(src + 4 * ldSrc), r5 = Avx.LoadVector256(src + 5 * ldSrc);

        Vector256<float> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1);   // a0 b0 a1 b1 | a4 b4 a5 b5 ; a2 b2 a3 b3 | ...
        Vector256<float> t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
        Vector256<float> t4 = Avx.UnpackLow(r4, r5), t5 = Avx.UnpackHigh(r4, r5);
        Vector256<float> t6 = Avx.UnpackLow(r6, r7), t7 = Avx.UnpackHigh(r6, r7);

        Vector256<float> s0 = Avx.Shuffle(t0, t2, 0x44), s1 = Avx.Shuffle(t0, t2, 0xEE); // a0 b0 c0 d0 | a4 .. ; a1 b1 c1 d1 | a5 ..
        Vector256<float> s2 = Avx.Shuffle(t1, t3, 0x44), s3 = Avx.Shuffle(t1, t3, 0xEE);
        Vector256<float> s4 = Avx.Shuffle(t4, t6, 0x44), s5 = Avx.Shuffle(t4, t6, 0xEE);
        Vector256<float> s6 = Avx.Shuffle(t5, t7, 0x44), s7 = Avx.Shuffle(t5, t7, 0xEE);

        Avx.Store(dst, Avx.Permute2x128(s0, s4, 0x20));                               // a0 .. h0
        Avx.Store(dst + ldDst, Avx.Permute2x128(s1, s5, 0x20));
        Avx.Store(dst + 2 * ldDst, Avx.Permute2x128(s2, s6, 0x20));
        Avx.Store(dst + 3 * ldDst, Avx.Permute2x128(s3, s7, 0x20));
        Avx.Store(dst + 4 * ldDst, Avx.Permute2x128(s0, s4, 0x31));                   // a4 .. h4
        Avx.Store(dst + 5 * ldDst, Avx.Permute2x128(s1, s5, 0x31));
        Avx.Store(dst + 6 * ldDst, Avx.Permute2x128(s2, s6, 0x31));
        Avx.Store(dst + 7 * ldDst, Avx.Permute2x128(s3, s7, 0x31));
    }
}

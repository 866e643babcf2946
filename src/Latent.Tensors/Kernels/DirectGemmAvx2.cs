// The AVX2 + FMA tiles of DirectGemm. Multiply: a 4 x 24 (or 3 x 24) tile of C in 12 (9) Vector256 accumulators over
// all of K; per k, three loads of B's row k at b + offs[k], four (three) broadcasts of A's packed column, 12 (9) FMAs.
// Dot: 4 rows of A against 3 (or 2) rows of B, 12 (8) vector partial sums over every image and pixel of the call,
// each reduced once (Vector256.Sum) and added to D. 12 accumulators + the B vectors + one A value fit the 16 ymm
// registers.
//
//   multiply  C (MR, 24) = sum_k A(MR, k) B(k, 24)  [+ C | + bias]
//   dot       D (4, TR) += sum_img sum_q A_img(4, q) B_img(TR, q)
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Latent.Tensors.Kernels;

internal static unsafe partial class DirectGemmAvx2
{
    /// <summary>One MR x 24 tile (MR = 4 or 3); A packed k-major (a[k MR + r]).</summary>
    public static void Multiply(int mr, int k, float* a, float* b, int* offs, float* c, int ldc, DirectGemm.Store store, float* bias)
    {
        if (mr == 4) Multiply4x24(k, a, b, offs, c, ldc, store, bias);
        else Multiply3x24(k, a, b, offs, c, ldc, store, bias);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Multiply4x24(int k, float* a, float* b, int* offs, float* c, int ldc, DirectGemm.Store store, float* bias)
    {
        Vector256<float> c00 = default, c01 = default, c02 = default, c10 = default, c11 = default, c12 = default;
        Vector256<float> c20 = default, c21 = default, c22 = default, c30 = default, c31 = default, c32 = default;
        for (int p = 0; p < k; p++, a += 4)
        {
            float* bp = b + offs[p];
            Vector256<float> b0 = Avx.LoadVector256(bp), b1 = Avx.LoadVector256(bp + 8), b2 = Avx.LoadVector256(bp + 16);
            Vector256<float> ai = Avx.BroadcastScalarToVector256(a);
            c00 = Fma.MultiplyAdd(ai, b0, c00); c01 = Fma.MultiplyAdd(ai, b1, c01); c02 = Fma.MultiplyAdd(ai, b2, c02);
            ai = Avx.BroadcastScalarToVector256(a + 1);
            c10 = Fma.MultiplyAdd(ai, b0, c10); c11 = Fma.MultiplyAdd(ai, b1, c11); c12 = Fma.MultiplyAdd(ai, b2, c12);
            ai = Avx.BroadcastScalarToVector256(a + 2);
            c20 = Fma.MultiplyAdd(ai, b0, c20); c21 = Fma.MultiplyAdd(ai, b1, c21); c22 = Fma.MultiplyAdd(ai, b2, c22);
            ai = Avx.BroadcastScalarToVector256(a + 3);
            c30 = Fma.MultiplyAdd(ai, b0, c30); c31 = Fma.MultiplyAdd(ai, b1, c31); c32 = Fma.MultiplyAdd(ai, b2, c32);
        }
        StoreRow(c, 3, store, bias, 0, c00, c01, c02, default);
        StoreRow(c + ldc, 3, store, bias, 1, c10, c11, c12, default);
        StoreRow(c + 2 * ldc, 3, store, bias, 2, c20, c21, c22, default);
        StoreRow(c + 3 * ldc, 3, store, bias, 3, c30, c31, c32, default);
    }

    // 3 rows x 24: 9 accumulators + 3 B vectors + 1 broadcast (a 3 x 32 tile would need 17 registers: the JIT spills
    // one accumulator to the stack, a store and a reload in every step of k).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Multiply3x24(int k, float* a, float* b, int* offs, float* c, int ldc, DirectGemm.Store store, float* bias)
    {
        Vector256<float> c00 = default, c01 = default, c02 = default, c10 = default, c11 = default, c12 = default;
        Vector256<float> c20 = default, c21 = default, c22 = default;
        for (int p = 0; p < k; p++, a += 3)
        {
            float* bp = b + offs[p];
            Vector256<float> b0 = Avx.LoadVector256(bp), b1 = Avx.LoadVector256(bp + 8), b2 = Avx.LoadVector256(bp + 16);
            Vector256<float> ai = Avx.BroadcastScalarToVector256(a);
            c00 = Fma.MultiplyAdd(ai, b0, c00); c01 = Fma.MultiplyAdd(ai, b1, c01); c02 = Fma.MultiplyAdd(ai, b2, c02);
            ai = Avx.BroadcastScalarToVector256(a + 1);
            c10 = Fma.MultiplyAdd(ai, b0, c10); c11 = Fma.MultiplyAdd(ai, b1, c11); c12 = Fma.MultiplyAdd(ai, b2, c12);
            ai = Avx.BroadcastScalarToVector256(a + 2);
            c20 = Fma.MultiplyAdd(ai, b0, c20); c21 = Fma.MultiplyAdd(ai, b1, c21); c22 = Fma.MultiplyAdd(ai, b2, c22);
        }
        StoreRow(c, 3, store, bias, 0, c00, c01, c02, default);
        StoreRow(c + ldc, 3, store, bias, 1, c10, c11, c12, default);
        StoreRow(c + 2 * ldc, 3, store, bias, 2, c20, c21, c22, default);
    }

    /// <summary>Row r of a tile: `vectors` (3 or 4) vectors of x stored, added to C, or stored plus bias[r].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow(float* c, int vectors, DirectGemm.Store store, float* bias, int r,
        Vector256<float> x0, Vector256<float> x1, Vector256<float> x2, Vector256<float> x3)
    {
        if (store == DirectGemm.Store.Accumulate)
        {
            x0 += Avx.LoadVector256(c); x1 += Avx.LoadVector256(c + 8); x2 += Avx.LoadVector256(c + 16);
            if (vectors == 4) x3 += Avx.LoadVector256(c + 24);
        }
        else if (store == DirectGemm.Store.Bias && bias != null)
        {
            Vector256<float> v = Vector256.Create(bias[r]);
            x0 += v; x1 += v; x2 += v; x3 += v;
        }
        Avx.Store(c, x0); Avx.Store(c + 8, x1); Avx.Store(c + 16, x2);
        if (vectors == 4) Avx.Store(c + 24, x3);
    }

    /// <summary>D (4, tr) += the dot products of A's rows i (a + i lda) with B's rows t (b + offs[t]) over `len` floats
    /// of each of `images` images (A's next image aImage floats on, B's bImage); tr is 3 or 2.</summary>
    public static void Dot(int tr, int len, int images, float* a, long lda, long aImage, float* b, int* offs, long bImage, float* d, int ldd)
    {
        if (tr == 3) Dot4x3(len, images, a, lda, aImage, b, offs, bImage, d, ldd);
        else Dot4x2(len, images, a, lda, aImage, b, offs, bImage, d, ldd);
    }

    private static Vector256<float> TailMask(int rest) =>
        Vector256.LessThan(Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7), Vector256.Create(rest)).AsSingle();

    // The dots reduced per call: the images' vector partial sums in 12 (8) vectors of a stack buffer (DotTriples4,
    // DotPairs4; the same sums, in the same order, as accumulators kept in registers across the images), then reduced.
    private static void Dot4x3(int len, int images, float* a, long lda, long aImage, float* b, int* offs, long bImage, float* d, int ldd)
    {
        float* acc = stackalloc float[96];
        new Span<float>(acc, 96).Clear();
        for (int img = 0; img < images; img++)
        {
            float* bi = b + img * bImage;
            DotTriples4(len, a + img * aImage, lda, bi + offs[0], bi + offs[1], bi + offs[2], acc);
        }
        Reduce(acc, 4, 3, d, ldd);
    }

    private static void Dot4x2(int len, int images, float* a, long lda, long aImage, float* b, int* offs, long bImage, float* d, int ldd)
    {
        float* acc = stackalloc float[64];
        new Span<float>(acc, 64).Clear();
        for (int img = 0; img < images; img++)
        {
            float* bi = b + img * bImage;
            DotPairs4(len, a + img * aImage, lda, bi + offs[0], bi + offs[1], acc);
        }
        Reduce(acc, 4, 2, d, ldd);
    }

    /// <summary>d[r ldd + t] += the lanes' sum of acc[(r tr + t) 8 ..], r &lt; rows, t &lt; tr: one block of the dots'
    /// vector partial sums (DotTriples4, DotPairs6/4) reduced into its rows x tr entries.</summary>
    public static void Reduce(float* acc, int rows, int tr, float* d, int ldd)
    {
        for (int r = 0; r < rows; r++)
            for (int t = 0; t < tr; t++) d[(long)r * ldd + t] += Vector256.Sum(Avx.LoadVector256(acc + (r * tr + t) * 8));
    }
}

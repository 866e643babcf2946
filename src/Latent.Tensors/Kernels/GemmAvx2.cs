// The AVX2 + FMA register-tile microkernels of the GEMM: a 6 x 16 tile of C held in 12
// Vector256<float> accumulators (two per row), updated by 12 Fma.MultiplyAdd per step of k from one
// 16-wide row of B (two loads) and six broadcasts of A (BLIS "haswell" sgemm 6x16 kernel,
// Van Zee & van de Geijn, "BLIS", ACM TOMS 2015). 12 accumulators + 2 B vectors + 1 broadcast
// = 15 of the 16 ymm registers: no spills (checked with DOTNET_JitDisasm=Kernel6x16*).
//
//   C (6, 16) = alpha * sum_p A(6, p) B(p, 16) + beta * C      (beta == 0: C is not read)
//
// Kernel6x16 reads A as packed panels or as a transposed A (six contiguous values per step,
// `aStep` apart); Kernel6x16Strided reads a row-major A in place (rows `lda` apart, contiguous in
// k). B rows are `bStep` apart: NR for a packed panel, ldb for B read in place.
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Latent.Tensors.Kernels;

internal static unsafe class GemmAvx2
{
    public static bool IsSupported => Avx2.IsSupported && Fma.IsSupported;

    /// <summary>6 x 16 tile; A(i, p) at a[p * aStep + i], B(p, j) at b[p * bStep + j].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Kernel6x16(int kc, float* a, nint aStep, float* b, nint bStep,
        float* c, nint ldc, float alpha, float beta)
    {
        Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default, c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        for (int p = 0; p < kc; p++)
        {
            Vector256<float> b0 = Avx.LoadVector256(b), b1 = Avx.LoadVector256(b + 8);
            Vector256<float> a0 = Avx.BroadcastScalarToVector256(a);
            c00 = Fma.MultiplyAdd(a0, b0, c00); c01 = Fma.MultiplyAdd(a0, b1, c01);
            a0 = Avx.BroadcastScalarToVector256(a + 1);
            c10 = Fma.MultiplyAdd(a0, b0, c10); c11 = Fma.MultiplyAdd(a0, b1, c11);
            a0 = Avx.BroadcastScalarToVector256(a + 2);
            c20 = Fma.MultiplyAdd(a0, b0, c20); c21 = Fma.MultiplyAdd(a0, b1, c21);
            a0 = Avx.BroadcastScalarToVector256(a + 3);
            c30 = Fma.MultiplyAdd(a0, b0, c30); c31 = Fma.MultiplyAdd(a0, b1, c31);
            a0 = Avx.BroadcastScalarToVector256(a + 4);
            c40 = Fma.MultiplyAdd(a0, b0, c40); c41 = Fma.MultiplyAdd(a0, b1, c41);
            a0 = Avx.BroadcastScalarToVector256(a + 5);
            c50 = Fma.MultiplyAdd(a0, b0, c50); c51 = Fma.MultiplyAdd(a0, b1, c51);
            a += aStep;
            b += bStep;
        }
        Store(c, ldc, alpha, beta, c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51);
    }

    /// <summary>6 x 16 tile; A(i, p) at a[i * lda + p] (row-major A, not packed), B(p, j) at b[p * bStep + j].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Kernel6x16Strided(int kc, float* a, nint lda, float* b, nint bStep,
        float* c, nint ldc, float alpha, float beta)
    {
        nint r1 = lda, r2 = 2 * lda, r3 = 3 * lda, r4 = 4 * lda, r5 = 5 * lda;
        Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default, c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        for (int p = 0; p < kc; p++)
        {
            Vector256<float> b0 = Avx.LoadVector256(b), b1 = Avx.LoadVector256(b + 8);
            Vector256<float> a0 = Avx.BroadcastScalarToVector256(a);
            c00 = Fma.MultiplyAdd(a0, b0, c00); c01 = Fma.MultiplyAdd(a0, b1, c01);
            a0 = Avx.BroadcastScalarToVector256(a + r1);
            c10 = Fma.MultiplyAdd(a0, b0, c10); c11 = Fma.MultiplyAdd(a0, b1, c11);
            a0 = Avx.BroadcastScalarToVector256(a + r2);
            c20 = Fma.MultiplyAdd(a0, b0, c20); c21 = Fma.MultiplyAdd(a0, b1, c21);
            a0 = Avx.BroadcastScalarToVector256(a + r3);
            c30 = Fma.MultiplyAdd(a0, b0, c30); c31 = Fma.MultiplyAdd(a0, b1, c31);
            a0 = Avx.BroadcastScalarToVector256(a + r4);
            c40 = Fma.MultiplyAdd(a0, b0, c40); c41 = Fma.MultiplyAdd(a0, b1, c41);
            a0 = Avx.BroadcastScalarToVector256(a + r5);
            c50 = Fma.MultiplyAdd(a0, b0, c50); c51 = Fma.MultiplyAdd(a0, b1, c51);
            a++;
            b += bStep;
        }
        Store(c, ldc, alpha, beta, c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51);
    }

    /// <summary>C = alpha * X + beta * C on the 6 x 16 tile, C not read when beta == 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(float* c, nint ldc, float alpha, float beta,
        Vector256<float> x00, Vector256<float> x01,
        Vector256<float> x10, Vector256<float> x11,
        Vector256<float> x20, Vector256<float> x21,
        Vector256<float> x30, Vector256<float> x31,
        Vector256<float> x40, Vector256<float> x41,
        Vector256<float> x50, Vector256<float> x51)
    {
        Vector256<float> va = Vector256.Create(alpha), vb = Vector256.Create(beta);
        int mode = beta == 0f ? 0 : beta == 1f ? 1 : 2;
        StoreRow(c, x00, x01, va, vb, mode);
        StoreRow(c + 1 * ldc, x10, x11, va, vb, mode);
        StoreRow(c + 2 * ldc, x20, x21, va, vb, mode);
        StoreRow(c + 3 * ldc, x30, x31, va, vb, mode);
        StoreRow(c + 4 * ldc, x40, x41, va, vb, mode);
        StoreRow(c + 5 * ldc, x50, x51, va, vb, mode);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow(float* c, Vector256<float> x0, Vector256<float> x1,
        Vector256<float> va, Vector256<float> vb, int mode)
    {
        if (mode == 0)
        {
            Avx.Store(c, Avx.Multiply(x0, va));
            Avx.Store(c + 8, Avx.Multiply(x1, va));
        }
        else if (mode == 1)
        {
            Avx.Store(c, Fma.MultiplyAdd(x0, va, Avx.LoadVector256(c)));
            Avx.Store(c + 8, Fma.MultiplyAdd(x1, va, Avx.LoadVector256(c + 8)));
        }
        else
        {
            Avx.Store(c, Fma.MultiplyAdd(x0, va, Avx.Multiply(Avx.LoadVector256(c), vb)));
            Avx.Store(c + 8, Fma.MultiplyAdd(x1, va, Avx.Multiply(Avx.LoadVector256(c + 8), vb)));
        }
    }
}

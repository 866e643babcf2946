// The AVX-512 register-tile microkernels of the GEMM, used where the CPU offers AVX-512F and the
// runtime accelerates Vector512 (e.g. AMD Zen 4/5, whose 512-bit FMA doubles the work per
// instruction of the AVX2 kernel): an 8 x 32 tile of C in 16 Vector512<float> accumulators (two per
// row), 16 FMAs per step of k from two loads of B and eight broadcasts of A. 16 accumulators + 2 B
// + 1 broadcast = 19 of the 32 zmm registers: no spills (DOTNET_JitDisasm=Kernel8x32*).
// Same contract and layouts as GemmAvx2 with MR = 8, NR = 32:
//
//   C (8, 32) = alpha * sum_p A(8, p) B(p, 32) + beta * C      (beta == 0: C is not read)
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Latent.Tensors.Kernels;

internal static unsafe class GemmAvx512
{
    public const int MR = 8, NR = 32;

    public static bool IsSupported => Avx512F.IsSupported && Vector512.IsHardwareAccelerated;

    /// <summary>8 x 32 tile; A(i, p) at a[p * aStep + i], B(p, j) at b[p * bStep + j].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Kernel8x32(int kc, float* a, nint aStep, float* b, nint bStep,
        float* c, nint ldc, float alpha, float beta)
    {
        Vector512<float> c00 = default, c01 = default,
            c10 = default, c11 = default,
            c20 = default, c21 = default,
            c30 = default, c31 = default,
            c40 = default, c41 = default,
            c50 = default, c51 = default,
            c60 = default, c61 = default,
            c70 = default, c71 = default;
        for (int p = 0; p < kc; p++)
        {
            Vector512<float> b0 = Avx512F.LoadVector512(b), b1 = Avx512F.LoadVector512(b + 16);
            Vector512<float> a0 = Vector512.Create(a[0]);
            c00 = Avx512F.FusedMultiplyAdd(a0, b0, c00); c01 = Avx512F.FusedMultiplyAdd(a0, b1, c01);
            a0 = Vector512.Create(a[1]);
            c10 = Avx512F.FusedMultiplyAdd(a0, b0, c10); c11 = Avx512F.FusedMultiplyAdd(a0, b1, c11);
            a0 = Vector512.Create(a[2]);
            c20 = Avx512F.FusedMultiplyAdd(a0, b0, c20); c21 = Avx512F.FusedMultiplyAdd(a0, b1, c21);
            a0 = Vector512.Create(a[3]);
            c30 = Avx512F.FusedMultiplyAdd(a0, b0, c30); c31 = Avx512F.FusedMultiplyAdd(a0, b1, c31);
            a0 = Vector512.Create(a[4]);
            c40 = Avx512F.FusedMultiplyAdd(a0, b0, c40); c41 = Avx512F.FusedMultiplyAdd(a0, b1, c41);
            a0 = Vector512.Create(a[5]);
            c50 = Avx512F.FusedMultiplyAdd(a0, b0, c50); c51 = Avx512F.FusedMultiplyAdd(a0, b1, c51);
            a0 = Vector512.Create(a[6]);
            c60 = Avx512F.FusedMultiplyAdd(a0, b0, c60); c61 = Avx512F.FusedMultiplyAdd(a0, b1, c61);
            a0 = Vector512.Create(a[7]);
            c70 = Avx512F.FusedMultiplyAdd(a0, b0, c70); c71 = Avx512F.FusedMultiplyAdd(a0, b1, c71);
            a += aStep;
            b += bStep;
        }
        Vector512<float> va = Vector512.Create(alpha), vb = Vector512.Create(beta);
        int mode = beta == 0f ? 0 : beta == 1f ? 1 : 2;
        StoreRow(c + 0 * ldc, c00, c01, va, vb, mode);
        StoreRow(c + 1 * ldc, c10, c11, va, vb, mode);
        StoreRow(c + 2 * ldc, c20, c21, va, vb, mode);
        StoreRow(c + 3 * ldc, c30, c31, va, vb, mode);
        StoreRow(c + 4 * ldc, c40, c41, va, vb, mode);
        StoreRow(c + 5 * ldc, c50, c51, va, vb, mode);
        StoreRow(c + 6 * ldc, c60, c61, va, vb, mode);
        StoreRow(c + 7 * ldc, c70, c71, va, vb, mode);
    }

    /// <summary>8 x 32 tile; A(i, p) at a[i * lda + p] (row-major A, not packed), B(p, j) at b[p * bStep + j].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Kernel8x32Strided(int kc, float* a, nint lda, float* b, nint bStep,
        float* c, nint ldc, float alpha, float beta)
    {
        nint r1 = 1 * lda, r2 = 2 * lda, r3 = 3 * lda, r4 = 4 * lda, r5 = 5 * lda, r6 = 6 * lda, r7 = 7 * lda;
        Vector512<float> c00 = default, c01 = default,
            c10 = default, c11 = default,
            c20 = default, c21 = default,
            c30 = default, c31 = default,
            c40 = default, c41 = default,
            c50 = default, c51 = default,
            c60 = default, c61 = default,
            c70 = default, c71 = default;
        for (int p = 0; p < kc; p++)
        {
            Vector512<float> b0 = Avx512F.LoadVector512(b), b1 = Avx512F.LoadVector512(b + 16);
            Vector512<float> a0 = Vector512.Create(a[0]);
            c00 = Avx512F.FusedMultiplyAdd(a0, b0, c00); c01 = Avx512F.FusedMultiplyAdd(a0, b1, c01);
            a0 = Vector512.Create(a[r1]);
            c10 = Avx512F.FusedMultiplyAdd(a0, b0, c10); c11 = Avx512F.FusedMultiplyAdd(a0, b1, c11);
            a0 = Vector512.Create(a[r2]);
            c20 = Avx512F.FusedMultiplyAdd(a0, b0, c20); c21 = Avx512F.FusedMultiplyAdd(a0, b1, c21);
            a0 = Vector512.Create(a[r3]);
            c30 = Avx512F.FusedMultiplyAdd(a0, b0, c30); c31 = Avx512F.FusedMultiplyAdd(a0, b1, c31);
            a0 = Vector512.Create(a[r4]);
            c40 = Avx512F.FusedMultiplyAdd(a0, b0, c40); c41 = Avx512F.FusedMultiplyAdd(a0, b1, c41);
            a0 = Vector512.Create(a[r5]);
            c50 = Avx512F.FusedMultiplyAdd(a0, b0, c50); c51 = Avx512F.FusedMultiplyAdd(a0, b1, c51);
            a0 = Vector512.Create(a[r6]);
            c60 = Avx512F.FusedMultiplyAdd(a0, b0, c60); c61 = Avx512F.FusedMultiplyAdd(a0, b1, c61);
            a0 = Vector512.Create(a[r7]);
            c70 = Avx512F.FusedMultiplyAdd(a0, b0, c70); c71 = Avx512F.FusedMultiplyAdd(a0, b1, c71);
            a++;
            b += bStep;
        }
        Vector512<float> va = Vector512.Create(alpha), vb = Vector512.Create(beta);
        int mode = beta == 0f ? 0 : beta == 1f ? 1 : 2;
        StoreRow(c + 0 * ldc, c00, c01, va, vb, mode);
        StoreRow(c + 1 * ldc, c10, c11, va, vb, mode);
        StoreRow(c + 2 * ldc, c20, c21, va, vb, mode);
        StoreRow(c + 3 * ldc, c30, c31, va, vb, mode);
        StoreRow(c + 4 * ldc, c40, c41, va, vb, mode);
        StoreRow(c + 5 * ldc, c50, c51, va, vb, mode);
        StoreRow(c + 6 * ldc, c60, c61, va, vb, mode);
        StoreRow(c + 7 * ldc, c70, c71, va, vb, mode);
    }

    /// <summary>C = alpha * x + beta * C on one 32-wide row (mode 0: beta 0, C not read; 1: beta 1; 2: other).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow(float* c, Vector512<float> x0, Vector512<float> x1,
        Vector512<float> va, Vector512<float> vb, int mode)
    {
        if (mode == 0)
        {
            Avx512F.Store(c, Avx512F.Multiply(x0, va));
            Avx512F.Store(c + 16, Avx512F.Multiply(x1, va));
        }
        else if (mode == 1)
        {
            Avx512F.Store(c, Avx512F.FusedMultiplyAdd(x0, va, Avx512F.LoadVector512(c)));
            Avx512F.Store(c + 16, Avx512F.FusedMultiplyAdd(x1, va, Avx512F.LoadVector512(c + 16)));
        }
        else
        {
            Avx512F.Store(c, Avx512F.FusedMultiplyAdd(x0, va, Avx512F.Multiply(Avx512F.LoadVector512(c), vb)));
            Avx512F.Store(c + 16, Avx512F.FusedMultiplyAdd(x1, va, Avx512F.Multiply(Avx512F.LoadVector512(c + 16), vb)));
        }
    }
}

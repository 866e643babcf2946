// GEMM with a prepacked A: op(A) (M, K) packed once into the microkernel's panels (GemmPack.PanelA, every K slice of
// the blocking), then multiplied by many B's. The convolution kernels multiply the same weight matrix by one column
// matrix per group of images (26 groups per batch of 128 on the DCGAN's 7 x 7 layers): repacking it for every group
// cost about 4 % of a DCGAN step. Same panels, same kernel, same K order: the bits equal SgemmSingleThread's.
//   layout: slice starting at depth p0 (kc deep) at p0 Mpad; its panel i (rows i mr ..) at p0 Mpad + i mr kc,
//   Mpad = M rounded up to mr, rows past M zero.
using static Latent.Tensors.Kernels.GemmBlocking;

namespace Latent.Tensors.Kernels;

public static partial class Gemm
{
    /// <summary>Floats of a prepacked op(A) (M, K) for this process's microkernel.</summary>
    internal static int PackedALength(int m, int k)
    {
        int mr = TileOf(BestIsa).MR;
        return (m + mr - 1) / mr * mr * k;
    }

    /// <summary>Packs op(A) (M, K) into <paramref name="packed"/> (at least PackedALength(M, K) floats).</summary>
    internal static unsafe void PackA(bool transA, int m, int k, ReadOnlySpan<float> a, int lda, Span<float> packed)
    {
        if (m < 0 || k < 0) throw new ArgumentException($"GEMM sizes must be non-negative, got M={m} K={k}.");
        CheckOperand("A", transA ? k : m, transA ? m : k, a.Length, lda);
        int len = PackedALength(m, k), mr = TileOf(BestIsa).MR, mPad = len / Math.Max(1, k);
        if (packed.Length < len) throw new ArgumentException($"GEMM: packed A needs {len} floats, the span has {packed.Length}.");
        if (m == 0 || k == 0) return;
        int kcBlock = GemmJob.Block(k, KC, 1);
        fixed (float* pa = a, pp = packed)
            for (int pc = 0; pc < k; pc += kcBlock)
            {
                int kc = Math.Min(kcBlock, k - pc);
                for (int i = 0; i < m; i += mr)
                    GemmPack.PanelA(transA, pa, lda, i, Math.Min(mr, m - i), pc, kc, pp + (long)pc * mPad + (long)i * kc, mr);
            }
    }

    /// <summary>C = alpha op(A) op(B) + beta C on the calling thread, op(A) (M, K) given prepacked by <see cref="PackA"/>.</summary>
    internal static unsafe void SgemmPackedA(int m, int n, int k, float alpha, ReadOnlySpan<float> packedA,
        bool transB, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc)
    {
        Check(false, transB, m, n, k, m * k, Math.Max(1, k), b.Length, ldb, c.Length, ldc);   // A: only its sizes
        if (packedA.Length < PackedALength(m, k))
            throw new ArgumentException($"GEMM: packed A needs {PackedALength(m, k)} floats, the span has {packedA.Length}.");
        if (m == 0 || n == 0) return;
        fixed (float* pa = packedA, pb = b, pc = c)
        {
            if (k == 0 || alpha == 0f)
            {
                ScaleC(m, n, beta, pc, ldc);
                return;
            }
            GemmJob.Run(false, transB, m, n, k, alpha, null, 0, pb, ldb, beta, pc, ldc, 1, BestIsa, pa);
        }
    }
}

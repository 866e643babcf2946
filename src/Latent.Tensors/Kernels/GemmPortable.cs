// The portable GEMM microkernel, used when AVX2 + FMA are not available: the same 6 x 16 tile and
// panel layouts as GemmAvx2, accumulated with Vector<float> (whatever width the machine offers, or
// scalar in software) as a separate multiply and add.
//
//   tile (6, 16) = sum_p A(6, p) B(p, 16)     A(i, p) at a[i * aRow + p * aStep], B(p, j) at b[p * bStep + j]
using System.Numerics;

namespace Latent.Tensors.Kernels;

internal static unsafe class GemmPortable
{
    public const int MR = 6, NR = 16;

    /// <summary>Writes the raw 6 x 16 product (no alpha, no beta) to `tile` (row stride NR).</summary>
    public static void Kernel6x16(int kc, float* a, nint aRow, nint aStep, float* b, nint bStep, float* tile)
    {
        int w = Vector<float>.Count;                 // 4, 8 or 16: always divides NR
        var acc = new Span<float>(tile, MR * NR);
        acc.Clear();
        for (int p = 0; p < kc; p++, a += aStep, b += bStep)
        {
            var bRow = new ReadOnlySpan<float>(b, NR);
            for (int i = 0; i < MR; i++)
            {
                var ai = new Vector<float>(a[i * aRow]);
                Span<float> ci = acc.Slice(i * NR, NR);
                for (int j = 0; j < NR; j += w)
                    (new Vector<float>(ci[j..]) + ai * new Vector<float>(bRow[j..])).CopyTo(ci[j..]);
            }
        }
    }
}

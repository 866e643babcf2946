// Packing of GEMM operands into the microkernel's panel layouts (Goto & van de Geijn 2008):
//   A panel: MR rows x kc, stored column by column:  dst[p * MR + i] = op(A)[i0 + i, p0 + p]
//   B panel: kc x NR, stored row by row:             dst[p * NR + j] = op(B)[p0 + p, j0 + j]
// Rows (columns) past the matrix edge are written as zeros so that the kernel always runs a full
// tile. Every transpose is handled here, so the kernels see one layout.
using System.Runtime.Intrinsics;
using static Latent.Tensors.Kernels.GemmBlocking;

namespace Latent.Tensors.Kernels;

internal static unsafe class GemmPack
{
    /// <summary>Packs op(A)[i0 .. i0+mr, p0 .. p0+kc) into one MR x kc panel; mr &lt;= MR.</summary>
    public static void PanelA(bool transA, float* a, nint lda, int i0, int mr, int p0, int kc, float* dst)
    {
        if (transA)
        {
            // op(A)[i, p] = A[p, i]: the panel's column p is contiguous in A's row p.
            float* src = a + p0 * lda + i0;
            if (mr == MR)
            {
                for (int p = 0; p < kc; p++, src += lda, dst += MR)
                {
                    dst[0] = src[0]; dst[1] = src[1]; dst[2] = src[2];
                    dst[3] = src[3]; dst[4] = src[4]; dst[5] = src[5];
                }
                return;
            }
            for (int p = 0; p < kc; p++, src += lda, dst += MR)
            {
                int i = 0;
                for (; i < mr; i++) dst[i] = src[i];
                for (; i < MR; i++) dst[i] = 0f;
            }
            return;
        }
        // op(A)[i, p] = A[i, p]: read each row contiguously, write with stride MR.
        for (int i = 0; i < MR; i++)
        {
            float* d = dst + i;
            if (i >= mr)
            {
                for (int p = 0; p < kc; p++) d[p * MR] = 0f;
                continue;
            }
            float* src = a + (i0 + i) * lda + p0;
            for (int p = 0; p < kc; p++) d[p * MR] = src[p];
        }
    }

    /// <summary>Packs op(B)[p0 .. p0+kc, j0 .. j0+nr) into one kc x NR panel; nr &lt;= NR.</summary>
    public static void PanelB(bool transB, float* b, nint ldb, int p0, int kc, int j0, int nr, float* dst)
    {
        if (!transB)
        {
            // op(B)[p, j] = B[p, j]: each panel row is a contiguous piece of a B row.
            float* src = b + p0 * ldb + j0;
            if (nr == NR)
            {
                for (int p = 0; p < kc; p++, src += ldb, dst += NR)
                {
                    Vector256.Store(Vector256.Load(src), dst);
                    Vector256.Store(Vector256.Load(src + 8), dst + 8);
                }
                return;
            }
            for (int p = 0; p < kc; p++, src += ldb, dst += NR)
            {
                int j = 0;
                for (; j < nr; j++) dst[j] = src[j];
                for (; j < NR; j++) dst[j] = 0f;
            }
            return;
        }
        // op(B)[p, j] = B[j, p]: read each B row contiguously, write with stride NR.
        for (int j = 0; j < NR; j++)
        {
            float* d = dst + j;
            if (j >= nr)
            {
                for (int p = 0; p < kc; p++) d[p * NR] = 0f;
                continue;
            }
            float* src = b + (j0 + j) * ldb + p0;
            for (int p = 0; p < kc; p++) d[p * NR] = src[p];
        }
    }
}

// Packing of GEMM operands into the microkernel's panel layouts (Goto & van de Geijn 2008), for a
// register tile of mr x nr (6 x 16 for AVX2, 8 x 32 for AVX-512):
//   A panel: mr rows x kc, stored column by column:  dst[p * mr + i] = op(A)[i0 + i, p0 + p]
//   B panel: kc x nr, stored row by row:             dst[p * nr + j] = op(B)[p0 + p, j0 + j]
// Rows (columns) past the matrix edge are written as zeros so that the kernel always runs a full
// tile. Every transpose is handled here, so the kernels see one layout.
using System.Runtime.Intrinsics;

namespace Latent.Tensors.Kernels;

internal static unsafe class GemmPack
{
    /// <summary>Packs op(A)[i0 .. i0+rows, p0 .. p0+kc) into one mr x kc panel; rows &lt;= mr.</summary>
    public static void PanelA(bool transA, float* a, nint lda, int i0, int rows, int p0, int kc, float* dst, int mr)
    {
        if (transA)
        {
            // op(A)[i, p] = A[p, i]: the panel's column p is contiguous in A's row p.
            float* src = a + p0 * lda + i0;
            if (rows == 8 && mr == 8)
            {
                for (int p = 0; p < kc; p++, src += lda, dst += 8) Vector256.Store(Vector256.Load(src), dst);
                return;
            }
            if (rows == 6 && mr == 6)
            {
                for (int p = 0; p < kc; p++, src += lda, dst += 6)
                {
                    dst[0] = src[0]; dst[1] = src[1]; dst[2] = src[2];
                    dst[3] = src[3]; dst[4] = src[4]; dst[5] = src[5];
                }
                return;
            }
            for (int p = 0; p < kc; p++, src += lda, dst += mr)
            {
                int i = 0;
                for (; i < rows; i++) dst[i] = src[i];
                for (; i < mr; i++) dst[i] = 0f;
            }
            return;
        }
        // op(A)[i, p] = A[i, p]: read each row contiguously, write with stride mr.
        if (rows == 8 && mr == 8 && GemmTranspose.IsSupported)
        {
            float* src = a + i0 * lda + p0;
            int p = 0;
            for (; p + 8 <= kc; p += 8) GemmTranspose.Block8x8(src + p, lda, dst + p * 8, 8);
            for (; p < kc; p++)
                for (int i = 0; i < 8; i++) dst[p * 8 + i] = src[i * lda + p];
            return;
        }
        if (rows == 6 && mr == 6 && GemmTranspose.IsSupported)
        {
            float* src = a + i0 * lda + p0;
            int p = 0;
            for (; p + 8 < kc; p += 8) GemmTranspose.Block6x8(src + p, lda, dst + p * 6);   // spill stays in the panel
            for (; p < kc; p++)
                for (int i = 0; i < 6; i++) dst[p * 6 + i] = src[i * lda + p];
            return;
        }
        for (int i = 0; i < mr; i++)
        {
            float* d = dst + i;
            if (i >= rows)
            {
                for (int p = 0; p < kc; p++) d[p * mr] = 0f;
                continue;
            }
            float* src = a + (i0 + i) * lda + p0;
            for (int p = 0; p < kc; p++) d[p * mr] = src[p];
        }
    }

    /// <summary>Packs op(B)[p0 .. p0+kc, j0 .. j0+cols) into one kc x nr panel; cols &lt;= nr, nr a multiple of 8.</summary>
    public static void PanelB(bool transB, float* b, nint ldb, int p0, int kc, int j0, int cols, float* dst, int nr)
    {
        if (!transB)
        {
            // op(B)[p, j] = B[p, j]: each panel row is a contiguous piece of a B row.
            float* src = b + p0 * ldb + j0;
            if (cols == nr)
            {
                for (int p = 0; p < kc; p++, src += ldb, dst += nr)
                    for (int j = 0; j < nr; j += 8) Vector256.Store(Vector256.Load(src + j), dst + j);
                return;
            }
            for (int p = 0; p < kc; p++, src += ldb, dst += nr)
            {
                int j = 0;
                for (; j < cols; j++) dst[j] = src[j];
                for (; j < nr; j++) dst[j] = 0f;
            }
            return;
        }
        // op(B)[p, j] = B[j, p]: read each B row contiguously, write with stride nr.
        if (cols == nr && GemmTranspose.IsSupported)
        {
            for (int j = 0; j < nr; j += 8)
            {
                float* src = b + (j0 + j) * ldb + p0;
                int p = 0;
                for (; p + 8 <= kc; p += 8) GemmTranspose.Block8x8(src + p, ldb, dst + p * nr + j, nr);
                for (; p < kc; p++)
                    for (int jj = 0; jj < 8; jj++) dst[p * nr + j + jj] = src[jj * ldb + p];
            }
            return;
        }
        for (int j = 0; j < nr; j++)
        {
            float* d = dst + j;
            if (j >= cols)
            {
                for (int p = 0; p < kc; p++) d[p * nr] = 0f;
                continue;
            }
            float* src = b + (j0 + j) * ldb + p0;
            for (int p = 0; p < kc; p++) d[p * nr] = src[p];
        }
    }
}

// The portable tiles of DirectGemm (no AVX2 + FMA; the tests call both): the same tiles and the
// same order of k (pixels) as DirectGemmAvx2, each product rounded before it is added (no fused multiply-add).
//
//   multiply  tile (MR, NR) = sum_k A(MR, k) B(k, NR)          dot  D (MR, TR) += sum_img sum_q A_img(MR, q) B_img(TR, q)
using System.Numerics;

namespace Latent.Tensors.Kernels;

internal static unsafe class DirectGemmPortable
{
    /// <summary>tile[r nr + j] = sum_k a[k mr + r] b[offs[k] + j] (A packed k-major; the raw product, no store mode).</summary>
    public static void Multiply(int mr, int nr, int k, float* a, float* b, int* offs, float* tile)
    {
        int w = Vector<float>.Count;                                      // 4 or 8 divides NR = 24; 16 does not: the rest scalar
        var acc = new Span<float>(tile, mr * nr);
        acc.Clear();
        for (int p = 0; p < k; p++, a += mr)
        {
            var row = new ReadOnlySpan<float>(b + offs[p], nr);
            for (int r = 0; r < mr; r++)
            {
                var ar = new Vector<float>(a[r]);
                Span<float> cr = acc.Slice(r * nr, nr);
                int j = 0;
                for (; j + w <= nr; j += w) (new Vector<float>(cr[j..]) + ar * new Vector<float>(row[j..])).CopyTo(cr[j..]);
                for (; j < nr; j++) cr[j] += a[r] * row[j];
            }
        }
    }

    /// <summary>D[i ldd + t] += sum_img sum_q a[img aImage + i lda + q] b[img bImage + offs[t] + q] for i &lt; mr, t &lt; tr.</summary>
    public static void Dot(int mr, int tr, int len, int images, float* a, long lda, long aImage, float* b, int* offs, long bImage, float* d, int ldd)
    {
        for (int i = 0; i < mr; i++)
            for (int t = 0; t < tr; t++)
            {
                float s = 0f;
                for (int img = 0; img < images; img++)
                {
                    float* ar = a + img * aImage + i * lda, br = b + img * bImage + offs[t];
                    for (int q = 0; q < len; q++) s += ar[q] * br[q];
                }
                d[(long)i * ldd + t] += s;
            }
    }
}

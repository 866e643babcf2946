// A small GEMM for the convolutions whose contracted dimension is short (one image channel: K = KH KW = 9 or 16 taps,
// or the few dozen channels of the other side), without packing B or grouping images (ConvSmallOut, ConvDirect):
//
//   multiply  C (M, N)  = A (M, K) B (K, N)  [+ C | + bias]    B(k, j) = b[offs[k] + j]: each row of B is any run of
//                                                              floats (a row of an image, or a shifted window of one)
//   dot       D (M, R) += sum_{img < images} sum_{q < len} A_img(i, q) B_img(t, q)    (the weight gradient: K = pixels)
//
// A is packed once into k-major panels of MR rows (PackA). A multiply tile keeps MR x NR of C in 12 registers over all
// of K (MR x NR = 4 x 24, or 3 x 24 when M is a multiple of 3 but not of 4: 9 taps) and is written once; a dot tile
// keeps 4 x 3 (or 4 x 2) vector partial sums over all images of the call and adds their horizontal sums to D once.
// The AVX2 + FMA tiles are in DirectGemmAvx2; without them the same tiles are
// computed by DirectGemmPortable (the tests run both). Every entry is summed in the same order for a given call whatever the thread count.
using System.Runtime.Intrinsics.X86;

namespace Latent.Tensors.Kernels;

internal static unsafe class DirectGemm
{
    /// <summary>How a multiply writes C: C = AB, C += AB, or C = AB + bias[row].</summary>
    public enum Store { Overwrite, Accumulate, Bias }

    /// <summary>True when the tiles run on AVX2 + FMA (else DirectGemmPortable; the tests call both explicitly).</summary>
    public static bool Avx2Tiles => Avx2.IsSupported && Fma.IsSupported;

    /// <summary>Rows of a multiply tile for an M-row product: 3 when M is a multiple of 3 but not of 4, else 4.</summary>
    public static int TileRows(int m) => m % 4 != 0 && m % 3 == 0 ? 3 : 4;

    /// <summary>Columns of a multiply tile: 24 (three vectors; 12 or 9 accumulators).</summary>
    public static int TileCols(int rows) => rows > 0 ? 24 : 0;

    /// <summary>Floats of A (M, K) packed by <see cref="PackA"/>.</summary>
    public static int PackedLength(int m, int k) { int mr = TileRows(m); return (m + mr - 1) / mr * mr * k; }

    /// <summary>Packs op(A) (M, K) (A(i, k) = a[i lda + k], or a[k lda + i] when transposed) into panels of TileRows(M)
    /// rows: packed[(p K + k) MR + r] = A(p MR + r, k), 0 past M.</summary>
    public static void PackA(bool transA, int m, int k, ReadOnlySpan<float> a, int lda, Span<float> packed)
    {
        int mr = TileRows(m);
        if (packed.Length < PackedLength(m, k)) throw new ArgumentException($"DirectGemm.PackA: {packed.Length} floats for a ({m}, {k}) operand.");
        for (int p = 0; p * mr < m; p++)
            for (int kk = 0; kk < k; kk++)
                for (int r = 0; r < mr; r++)
                {
                    int i = p * mr + r;
                    packed[(p * k + kk) * mr + r] = i >= m ? 0f : transA ? a[kk * lda + i] : a[i * lda + kk];
                }
    }

    /// <summary>
    /// C (M, N) = packed A (M, K) times B (K, N) with B(k, j) = b[offs[k] + j], stored by `store` (bias: M floats).
    /// Reads B(k, j) only for j &lt; N (the last, partial tile reads a copy of B's last columns).
    /// </summary>
    public static void Multiply(int m, int n, int k, float* packed, float* b, int* offs, float* c, int ldc, Store store, float* bias) =>
        Multiply(m, n, k, packed, b, offs, c, ldc, store, bias, Avx2Tiles);

    /// <summary><see cref="Multiply(int, int, int, float*, float*, int*, float*, int, Store, float*)"/> on the AVX2 tiles
    /// (avx, which must be supported) or the portable ones, column tiles outer.</summary>
    internal static void Multiply(int m, int n, int k, float* packed, float* b, int* offs, float* c, int ldc, Store store, float* bias, bool avx) =>
        Multiply(m, n, k, packed, b, offs, c, ldc, store, bias, avx, false);

    /// <summary>
    /// The multiply with a choice of loop order. Column tiles outer (panelsOuter false): a tile's K rows of B (up to
    /// K x 96 bytes) are read from L2 once and reused from L1 by every panel (with panels outer, B's rows of a
    /// 64-channel image would stream from L2 M / MR times). Panels outer (true): for a short K (the 9 or 16 windows of
    /// a one-channel image, a few KB that stay in L1), C is written MR rows at a time from start to end, a few
    /// sequential streams instead of M rows touched 96 bytes at a time. Same tiles, same sums: the bits do not depend
    /// on the order.
    /// </summary>
    internal static void Multiply(int m, int n, int k, float* packed, float* b, int* offs, float* c, int ldc, Store store, float* bias, bool avx, bool panelsOuter)
    {
        int mr = TileRows(m), nr = TileCols(mr), full = n / nr * nr, panels = (m + mr - 1) / mr;
        float* tile = stackalloc float[4 * 24];
        if (panelsOuter)
            for (int p = 0; p < panels; p++)
                for (int j = 0; j < full; j += nr) FullTile(avx, m, k, mr, p, j, packed, b, offs, c, ldc, store, bias, tile);
        else
            for (int j = 0; j < full; j += nr)
                for (int p = 0; p < panels; p++) FullTile(avx, m, k, mr, p, j, packed, b, offs, c, ldc, store, bias, tile);
        if (full == n) return;
        // The last n - full columns: B's rows copied into a zero-padded (K, NR) block, so no read passes a row's end.
        int w = n - full;
        float[] rented = System.Buffers.ArrayPool<float>.Shared.Rent(k * nr);
        int[] rentedOffs = System.Buffers.ArrayPool<int>.Shared.Rent(k);
        fixed (float* tb = rented)
        fixed (int* to = rentedOffs)
        {
            for (int kk = 0; kk < k; kk++)
            {
                to[kk] = kk * nr;
                for (int j = 0; j < nr; j++) tb[kk * nr + j] = j < w ? b[offs[kk] + full + j] : 0f;
            }
            for (int p = 0; p * mr < m; p++)
            {
                int rows = Math.Min(mr, m - p * mr);
                Tile(avx, mr, k, packed + (long)p * k * mr, tb, to, tile);
                StoreTile(tile, nr, rows, w, c + (long)p * mr * ldc + full, ldc, store, bias == null ? null : bias + p * mr);
            }
        }
        System.Buffers.ArrayPool<float>.Shared.Return(rented);
        System.Buffers.ArrayPool<int>.Shared.Return(rentedOffs);
    }

    /// <summary>Panel p's tile at columns j .. j + 24 (all in range): straight into C, or through the tile scratch for a
    /// panel with fewer than MR rows.</summary>
    private static void FullTile(bool avx, int m, int k, int mr, int p, int j, float* packed, float* b, int* offs, float* c, int ldc,
        Store store, float* bias, float* tile)
    {
        int rows = Math.Min(mr, m - p * mr), nr = TileCols(mr);
        float* a = packed + (long)p * k * mr, cp = c + (long)p * mr * ldc, bp = bias == null ? null : bias + p * mr;
        if (avx && rows == mr) { DirectGemmAvx2.Multiply(mr, k, a, b + j, offs, cp + j, ldc, store, bp); return; }
        Tile(avx, mr, k, a, b + j, offs, tile);
        StoreTile(tile, nr, rows, nr, cp + j, ldc, store, bp);
    }

    private static void Tile(bool avx, int mr, int k, float* a, float* b, int* offs, float* tile)
    {
        if (avx) DirectGemmAvx2.Multiply(mr, k, a, b, offs, tile, TileCols(mr), Store.Overwrite, null);
        else DirectGemmPortable.Multiply(mr, TileCols(mr), k, a, b, offs, tile);
    }

    /// <summary>C[r, j] (=|+=) tile[r, j] (+ bias[r]) for r &lt; rows, j &lt; cols.</summary>
    private static void StoreTile(float* tile, int ldt, int rows, int cols, float* c, int ldc, Store store, float* bias)
    {
        for (int r = 0; r < rows; r++)
        {
            float* t = tile + r * ldt, d = c + (long)r * ldc;
            float add = store == Store.Bias && bias != null ? bias[r] : 0f;
            for (int j = 0; j < cols; j++) d[j] = store == Store.Accumulate ? d[j] + t[j] : t[j] + add;
        }
    }

    /// <summary>
    /// D[i ldd + t] += sum over images img &lt; `images` and q &lt; len of a[img aImage + i lda + q] b[img bImage + offs[t] + q],
    /// for i &lt; M, t &lt; R. A's rows are read exactly; B's rows may be read up to 7 floats past len (they must be
    /// finite there: the windows' zero slack).
    /// </summary>
    public static void Dot(int m, int r, int len, int images, float* a, long lda, long aImage, float* b, int* offs, long bImage, float* d, int ldd) =>
        Dot(m, r, len, images, a, lda, aImage, b, offs, bImage, d, ldd, Avx2Tiles);

    /// <summary><see cref="Dot(int, int, int, int, float*, long, long, float*, int*, long, float*, int)"/> on the AVX2
    /// tiles (avx) or the portable ones.</summary>
    internal static void Dot(int m, int r, int len, int images, float* a, long lda, long aImage, float* b, int* offs, long bImage, float* d, int ldd, bool avx)
    {
        int tr = r % 3 == 0 ? 3 : 2, mFull = m / 4 * 4, rFull = r / tr * tr;
        for (int i = 0; i < mFull; i += 4)
            for (int t = 0; t < rFull; t += tr)
            {
                if (avx) DirectGemmAvx2.Dot(tr, len, images, a + i * lda, lda, aImage, b, offs + t, bImage, d + (long)i * ldd + t, ldd);
                else DirectGemmPortable.Dot(4, tr, len, images, a + i * lda, lda, aImage, b, offs + t, bImage, d + (long)i * ldd + t, ldd);
            }
        // Rows past the last full group of 4 and columns past the last full group of tr: one entry at a time.
        for (int i = 0; i < m; i++)
            for (int t = i < mFull ? rFull : 0; t < r; t++)
                DirectGemmPortable.Dot(1, 1, len, images, a + i * lda, lda, aImage, b, offs + t, bImage, d + (long)i * ldd + t, ldd);
    }
}

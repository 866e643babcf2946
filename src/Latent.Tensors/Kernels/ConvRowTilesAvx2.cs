// ConvRowTiles' register tile (AVX2 + FMA): 3 channels x 2 output rows x 16 pixels of a row (two vectors) in 12
// Vector256 accumulators over all KH KW taps. Per tap: the 3 channels' weights broadcast once, then the 4 vectors the
// tile reads (16 pixels of each of its two rows, from the bordered image planes), each feeding 3 FMAs: 7 loads per 12
// FMAs, 12 independent chains (FMA latency 4, two per cycle). 12 accumulators + 3 weights + one loaded vector use the
// 16 ymm registers. Every store is a whole vector: a row's last vector starts 8 floats before its end and overlaps the
// one before it (ConvRowTiles lays them out). Inlined into ConvRowTiles' loop: a call per tile, or any call after the
// tap loop, made the JIT keep accumulators on the stack (all ymm registers are caller-saved) and ran at half speed.
//
//   tile  D[m, r, c] (=, +=) b[m] + sum_{t < taps} w[3 t + m] X[offs[t] + r rowStep + c],  m < 3, r < 2, c in the two vectors
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Latent.Tensors.Kernels;

internal static unsafe class ConvRowTilesAvx2
{
    /// <summary>Channels of a tile.</summary>
    public const int Channels = 3;

    /// <summary>Output rows of a tile.</summary>
    public const int Rows = 2;

    /// <summary>Pixels of a row in a tile (two vectors, 8 floats each).</summary>
    public const int Cols = 16;

    /// <summary>One tile: d[m plane + r ld + c] (=, +=) b_m + sum_t w[3 t + m] x[offs[t] + r rowStep + c] for m &lt; chans,
    /// r &lt; rows and the 16 columns c of its two vectors, the second `second` floats after the first (8, or fewer where
    /// it overlaps the first at a row's end). Accumulating adds only the lanes keep0 / keep1 hold (those that no earlier
    /// vector of the row added); overwriting stores overlapping lanes twice with the same bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Tile(int taps, float* w, int* offs, float* x, int second, int rowStep,
        Vector256<float> b0, Vector256<float> b1, Vector256<float> b2, bool accumulate, Vector256<float> keep0, Vector256<float> keep1,
        float* d, int ld, int plane, int chans, int rows)
    {
        Vector256<float> c000 = b0, c001 = b0, c010 = b0, c011 = b0;                  // channel 0: row 0 (two vectors), row 1
        Vector256<float> c100 = b1, c101 = b1, c110 = b1, c111 = b1;
        Vector256<float> c200 = b2, c201 = b2, c210 = b2, c211 = b2;
        float* x1 = x + second, x2 = x + rowStep, x3 = x2 + second;                      // the tile's 4 vectors at tap 0
        for (int* o = offs, end = offs + taps; o < end; o++, w += 3)
        {
            nint off = *o;
            Vector256<float> w0 = Avx.BroadcastScalarToVector256(w), w1 = Avx.BroadcastScalarToVector256(w + 1), w2 = Avx.BroadcastScalarToVector256(w + 2);
            Vector256<float> v = Avx.LoadVector256(x + off);
            c000 = Fma.MultiplyAdd(w0, v, c000); c100 = Fma.MultiplyAdd(w1, v, c100); c200 = Fma.MultiplyAdd(w2, v, c200);
            v = Avx.LoadVector256(x1 + off);
            c001 = Fma.MultiplyAdd(w0, v, c001); c101 = Fma.MultiplyAdd(w1, v, c101); c201 = Fma.MultiplyAdd(w2, v, c201);
            v = Avx.LoadVector256(x2 + off);
            c010 = Fma.MultiplyAdd(w0, v, c010); c110 = Fma.MultiplyAdd(w1, v, c110); c210 = Fma.MultiplyAdd(w2, v, c210);
            v = Avx.LoadVector256(x3 + off);
            c011 = Fma.MultiplyAdd(w0, v, c011); c111 = Fma.MultiplyAdd(w1, v, c111); c211 = Fma.MultiplyAdd(w2, v, c211);
        }
        Put(d, c000, keep0, accumulate); Put(d + second, c001, keep1, accumulate);
        if (rows > 1) { Put(d + ld, c010, keep0, accumulate); Put(d + ld + second, c011, keep1, accumulate); }
        if (chans < 2) return;
        d += plane;
        Put(d, c100, keep0, accumulate); Put(d + second, c101, keep1, accumulate);
        if (rows > 1) { Put(d + ld, c110, keep0, accumulate); Put(d + ld + second, c111, keep1, accumulate); }
        if (chans < 3) return;
        d += plane;
        Put(d, c200, keep0, accumulate); Put(d + second, c201, keep1, accumulate);
        if (rows > 1) { Put(d + ld, c210, keep0, accumulate); Put(d + ld + second, c211, keep1, accumulate); }
    }

    /// <summary><see cref="Tile"/> on flat windows for 9 taps (3 x 3 kernels: the ConvVAE's e1 forward and d5 input
    /// gradient), its two "rows" the halves of a 32-pixel run, with the taps unrolled and their window offsets passed in
    /// (hoisted out of the caller's loop over runs: 7 of the 9 stay in registers). The loop form loads every tap's offset
    /// for every tile, 9 of its 75 loads, on a tile bound by its two load ports: e1's forward 0.42-0.44 -> 0.40-0.41 ms,
    /// d5's input gradient 0.42 -> 0.39-0.40 (2 threads, interleaved pairs, session 19). Tap takes x and the offset
    /// apart so that the JIT folds them into each load's address (a pointer x + o per tap left every offset on the
    /// stack). The same taps in the same order: the same bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Tile9(float* w, float* x, nint o0, nint o1, nint o2, nint o3, nint o4, nint o5, nint o6, nint o7, nint o8,
        Vector256<float> b0, Vector256<float> b1, Vector256<float> b2, float* d, int plane, int chans)
    {
        Vector256<float> c0 = b0, c1 = b0, c2 = b0, c3 = b0;                          // channel 0: pixels 0-7, 8-15, 16-23, 24-31
        Vector256<float> e0 = b1, e1 = b1, e2 = b1, e3 = b1;
        Vector256<float> f0 = b2, f1 = b2, f2 = b2, f3 = b2;
        Tap(x, o0, w, ref c0, ref c1, ref c2, ref c3, ref e0, ref e1, ref e2, ref e3, ref f0, ref f1, ref f2, ref f3);
        Tap(x, o1, w + 3, ref c0, ref c1, ref c2, ref c3, ref e0, ref e1, ref e2, ref e3, ref f0, ref f1, ref f2, ref f3);
        Tap(x, o2, w + 6, ref c0, ref c1, ref c2, ref c3, ref e0, ref e1, ref e2, ref e3, ref f0, ref f1, ref f2, ref f3);
        Tap(x, o3, w + 9, ref c0, ref c1, ref c2, ref c3, ref e0, ref e1, ref e2, ref e3, ref f0, ref f1, ref f2, ref f3);
        Tap(x, o4, w + 12, ref c0, ref c1, ref c2, ref c3, ref e0, ref e1, ref e2, ref e3, ref f0, ref f1, ref f2, ref f3);
        Tap(x, o5, w + 15, ref c0, ref c1, ref c2, ref c3, ref e0, ref e1, ref e2, ref e3, ref f0, ref f1, ref f2, ref f3);
        Tap(x, o6, w + 18, ref c0, ref c1, ref c2, ref c3, ref e0, ref e1, ref e2, ref e3, ref f0, ref f1, ref f2, ref f3);
        Tap(x, o7, w + 21, ref c0, ref c1, ref c2, ref c3, ref e0, ref e1, ref e2, ref e3, ref f0, ref f1, ref f2, ref f3);
        Tap(x, o8, w + 24, ref c0, ref c1, ref c2, ref c3, ref e0, ref e1, ref e2, ref e3, ref f0, ref f1, ref f2, ref f3);
        Avx.Store(d, c0); Avx.Store(d + 8, c1); Avx.Store(d + 16, c2); Avx.Store(d + 24, c3);
        if (chans < 2) return;
        d += plane;
        Avx.Store(d, e0); Avx.Store(d + 8, e1); Avx.Store(d + 16, e2); Avx.Store(d + 24, e3);
        if (chans < 3) return;
        d += plane;
        Avx.Store(d, f0); Avx.Store(d + 8, f1); Avx.Store(d + 16, f2); Avx.Store(d + 24, f3);
    }

    // One tap of Tile9: the three channels' weights w[0 .. 3) broadcast, the run's four vectors at x + o, 12 FMAs.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tap(float* x, nint o, float* w, ref Vector256<float> c0, ref Vector256<float> c1, ref Vector256<float> c2, ref Vector256<float> c3,
        ref Vector256<float> e0, ref Vector256<float> e1, ref Vector256<float> e2, ref Vector256<float> e3,
        ref Vector256<float> f0, ref Vector256<float> f1, ref Vector256<float> f2, ref Vector256<float> f3)
    {
        Vector256<float> v = Avx.LoadVector256(x + o);
        Vector256<float> w0 = Avx.BroadcastScalarToVector256(w), w1 = Avx.BroadcastScalarToVector256(w + 1), w2 = Avx.BroadcastScalarToVector256(w + 2);
        c0 = Fma.MultiplyAdd(w0, v, c0); e0 = Fma.MultiplyAdd(w1, v, e0); f0 = Fma.MultiplyAdd(w2, v, f0);
        v = Avx.LoadVector256(x + o + 8);
        c1 = Fma.MultiplyAdd(w0, v, c1); e1 = Fma.MultiplyAdd(w1, v, e1); f1 = Fma.MultiplyAdd(w2, v, f1);
        v = Avx.LoadVector256(x + o + 16);
        c2 = Fma.MultiplyAdd(w0, v, c2); e2 = Fma.MultiplyAdd(w1, v, e2); f2 = Fma.MultiplyAdd(w2, v, f2);
        v = Avx.LoadVector256(x + o + 24);
        c3 = Fma.MultiplyAdd(w0, v, c3); e3 = Fma.MultiplyAdd(w1, v, e3); f3 = Fma.MultiplyAdd(w2, v, f3);
    }

    /// <summary>Channel blocks of a <see cref="VectorTile"/> (12 channels).</summary>
    public const int VectorBlocks = 4;

    /// <summary>One vector of 8 consecutive output pixels for 4 channel blocks (12 channels, 12 accumulators):
    /// d[m plane + c] = b_m + sum_t w[blk KK 3 + 3 t + i] x[offs[t] + c] for m = 3 blk + i &lt; chans, c &lt; 8. The flat
    /// tiles' tail, a plane's last pixels after its 32-pixel runs (196 = 6 x 32 + 4: 200 lanes instead of 224): per tap one
    /// vector and 12 broadcasts feed 12 FMAs, 12 independent chains, as many as the 32-pixel tile. Blocks past the last hold
    /// the packed zeros (their accumulators are computed and not stored). Writes; the caller adds where it accumulates.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void VectorTile(int taps, float* w, int* offs, float* x, float* bias, bool hasBias, float* d, int plane, int chans)
    {
        nint bs = taps * Channels;                                                    // one block's packed weights
        Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default;
        Vector256<float> a6 = default, a7 = default, a8 = default, a9 = default, a10 = default, a11 = default;
        if (hasBias)
        {
            a0 = Avx.BroadcastScalarToVector256(bias); a1 = Avx.BroadcastScalarToVector256(bias + 1); a2 = Avx.BroadcastScalarToVector256(bias + 2);
            a3 = Avx.BroadcastScalarToVector256(bias + 3); a4 = Avx.BroadcastScalarToVector256(bias + 4); a5 = Avx.BroadcastScalarToVector256(bias + 5);
            a6 = Avx.BroadcastScalarToVector256(bias + 6); a7 = Avx.BroadcastScalarToVector256(bias + 7); a8 = Avx.BroadcastScalarToVector256(bias + 8);
            a9 = Avx.BroadcastScalarToVector256(bias + 9); a10 = Avx.BroadcastScalarToVector256(bias + 10); a11 = Avx.BroadcastScalarToVector256(bias + 11);
        }
        for (int* o = offs, end = offs + taps; o < end; o++, w += Channels)
        {
            Vector256<float> v = Avx.LoadVector256(x + *o);
            float* w1 = w + bs, w2 = w1 + bs, w3 = w2 + bs;
            a0 = Fma.MultiplyAdd(Avx.BroadcastScalarToVector256(w), v, a0);
            a1 = Fma.MultiplyAdd(Avx.BroadcastScalarToVector256(w + 1), v, a1);
            a2 = Fma.MultiplyAdd(Avx.BroadcastScalarToVector256(w + 2), v, a2);
            a3 = Fma.MultiplyAdd(Avx.BroadcastScalarToVector256(w1), v, a3);
            a4 = Fma.MultiplyAdd(Avx.BroadcastScalarToVector256(w1 + 1), v, a4);
            a5 = Fma.MultiplyAdd(Avx.BroadcastScalarToVector256(w1 + 2), v, a5);
            a6 = Fma.MultiplyAdd(Avx.BroadcastScalarToVector256(w2), v, a6);
            a7 = Fma.MultiplyAdd(Avx.BroadcastScalarToVector256(w2 + 1), v, a7);
            a8 = Fma.MultiplyAdd(Avx.BroadcastScalarToVector256(w2 + 2), v, a8);
            a9 = Fma.MultiplyAdd(Avx.BroadcastScalarToVector256(w3), v, a9);
            a10 = Fma.MultiplyAdd(Avx.BroadcastScalarToVector256(w3 + 1), v, a10);
            a11 = Fma.MultiplyAdd(Avx.BroadcastScalarToVector256(w3 + 2), v, a11);
        }
        Avx.Store(d, a0);
        if (chans > 1) Avx.Store(d + plane, a1);
        if (chans > 2) Avx.Store(d + 2 * plane, a2);
        if (chans > 3) Avx.Store(d + 3 * plane, a3);
        if (chans > 4) Avx.Store(d + 4 * plane, a4);
        if (chans > 5) Avx.Store(d + 5 * plane, a5);
        if (chans > 6) Avx.Store(d + 6 * plane, a6);
        if (chans > 7) Avx.Store(d + 7 * plane, a7);
        if (chans > 8) Avx.Store(d + 8 * plane, a8);
        if (chans > 9) Avx.Store(d + 9 * plane, a9);
        if (chans > 10) Avx.Store(d + 10 * plane, a10);
        if (chans > 11) Avx.Store(d + 11 * plane, a11);
    }

    /// <summary>p[0 .. 8) = v, or += v's lanes that keep holds (all bits set or zero).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Put(float* p, Vector256<float> v, Vector256<float> keep, bool accumulate)
    {
        if (accumulate) v = Avx.Add(Avx.And(v, keep), Avx.LoadVector256(p));
        Avx.Store(p, v);
    }
}

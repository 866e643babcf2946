// ConvTapPlanes' register tiles (AVX2 + FMA), 12 Vector256 accumulators over all M channels:
//   Tile:  3 taps x 32 consecutive pixels (4 vectors). Per channel the 3 taps' weights broadcast, the 4 vectors of the
//          channel's plane loaded, 12 FMAs; 12 accumulators + 3 weights + one loaded vector use the 16 ymm registers.
//   Tile4: 4 taps x 24 pixels (3 vectors), for 16-tap kernels. Per channel the 3 vectors loaded, then each tap's weight
//          broadcast in turn and 3 FMAs; 12 accumulators + 3 vectors + one weight.
// Both 7 loads per 12 FMAs; the contraction is over M = 32-64 channels, so a tile's fixed cost (12 stores) is small.
//   Tile8x8, Tile4x8: one vector of 8 or 4 taps, the pixels a plane leaves after its 24-pixel tiles (196 = 8 x 24 + 4).
//          Per channel one vector and a broadcast per tap: 8 chains keep the FMAs busier than 4, which wait on their
//          latency (D1's input gradient and G2's forward 0.38-0.39 -> 0.35-0.36 ms, session 17).
//
//   tile  Z_{k0 + t}[q .. q + 32) = sum_{m < M} w[3 m + t] src[m plane + q .. + 32),  t < 3
//   tile4 Z_{k0 + t}[q .. q + 24) = sum_{m < M} w[4 m + t] src[m plane + q .. + 24),  t < 4
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Latent.Tensors.Kernels;

internal static unsafe class ConvTapPlanesAvx2
{
    /// <summary>Pixels of a 3-tap tile (four vectors).</summary>
    public const int Pixels = 32;

    /// <summary>Pixels of a 4-tap tile (three vectors).</summary>
    public const int Pixels4 = 24;

    /// <summary>z0, z1, z2 [0 .. 32) = sum_m w[3 m + t] src[m plane + 0 .. 32) for the three taps t.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Tile(int m, float* w, float* src, long plane, float* z0, float* z1, float* z2)
    {
        Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default;
        Vector256<float> b0 = default, b1 = default, b2 = default, b3 = default;
        Vector256<float> c0 = default, c1 = default, c2 = default, c3 = default;
        for (float* end = w + 3 * m; w < end; w += 3, src += plane)
        {
            Vector256<float> w0 = Avx.BroadcastScalarToVector256(w), w1 = Avx.BroadcastScalarToVector256(w + 1), w2 = Avx.BroadcastScalarToVector256(w + 2);
            Vector256<float> v = Avx.LoadVector256(src);
            a0 = Fma.MultiplyAdd(w0, v, a0); b0 = Fma.MultiplyAdd(w1, v, b0); c0 = Fma.MultiplyAdd(w2, v, c0);
            v = Avx.LoadVector256(src + 8);
            a1 = Fma.MultiplyAdd(w0, v, a1); b1 = Fma.MultiplyAdd(w1, v, b1); c1 = Fma.MultiplyAdd(w2, v, c1);
            v = Avx.LoadVector256(src + 16);
            a2 = Fma.MultiplyAdd(w0, v, a2); b2 = Fma.MultiplyAdd(w1, v, b2); c2 = Fma.MultiplyAdd(w2, v, c2);
            v = Avx.LoadVector256(src + 24);
            a3 = Fma.MultiplyAdd(w0, v, a3); b3 = Fma.MultiplyAdd(w1, v, b3); c3 = Fma.MultiplyAdd(w2, v, c3);
        }
        Avx.Store(z0, a0); Avx.Store(z0 + 8, a1); Avx.Store(z0 + 16, a2); Avx.Store(z0 + 24, a3);
        Avx.Store(z1, b0); Avx.Store(z1 + 8, b1); Avx.Store(z1 + 16, b2); Avx.Store(z1 + 24, b3);
        Avx.Store(z2, c0); Avx.Store(z2 + 8, c1); Avx.Store(z2 + 16, c2); Avx.Store(z2 + 24, c3);
    }

    /// <summary>z_t[0 .. 24) = sum_m w[4 m + t] src[m plane + 0 .. 24) for the four taps t, z_t = z0 + t zStride; with
    /// `ahead` not 0, each channel's src + ahead is prefetched into L1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Tile4(int m, float* w, float* src, long plane, float* z0, long zStride, int ahead)
    {
        Vector256<float> a0 = default, a1 = default, a2 = default, b0 = default, b1 = default, b2 = default;
        Vector256<float> c0 = default, c1 = default, c2 = default, d0 = default, d1 = default, d2 = default;
        for (float* end = w + 4 * m; w < end; w += 4, src += plane)
        {
            if (ahead != 0) Sse.Prefetch0(src + ahead);
            Vector256<float> v0 = Avx.LoadVector256(src), v1 = Avx.LoadVector256(src + 8), v2 = Avx.LoadVector256(src + 16);
            Vector256<float> t = Avx.BroadcastScalarToVector256(w);
            a0 = Fma.MultiplyAdd(t, v0, a0); a1 = Fma.MultiplyAdd(t, v1, a1); a2 = Fma.MultiplyAdd(t, v2, a2);
            t = Avx.BroadcastScalarToVector256(w + 1);
            b0 = Fma.MultiplyAdd(t, v0, b0); b1 = Fma.MultiplyAdd(t, v1, b1); b2 = Fma.MultiplyAdd(t, v2, b2);
            t = Avx.BroadcastScalarToVector256(w + 2);
            c0 = Fma.MultiplyAdd(t, v0, c0); c1 = Fma.MultiplyAdd(t, v1, c1); c2 = Fma.MultiplyAdd(t, v2, c2);
            t = Avx.BroadcastScalarToVector256(w + 3);
            d0 = Fma.MultiplyAdd(t, v0, d0); d1 = Fma.MultiplyAdd(t, v1, d1); d2 = Fma.MultiplyAdd(t, v2, d2);
        }
        float* z = z0;
        Avx.Store(z, a0); Avx.Store(z + 8, a1); Avx.Store(z + 16, a2); z += zStride;
        Avx.Store(z, b0); Avx.Store(z + 8, b1); Avx.Store(z + 16, b2); z += zStride;
        Avx.Store(z, c0); Avx.Store(z + 8, c1); Avx.Store(z + 16, c2); z += zStride;
        Avx.Store(z, d0); Avx.Store(z + 8, d1); Avx.Store(z + 16, d2);
    }

    /// <summary>Tile4x8 for two groups of four taps at once (8 accumulators: 8 chains where 4 waited on the FMA latency):
    /// z_t[0 .. 8) = sum_m w[4 m + t] src[m plane + 0 .. 8) for t &lt; 4 and sum_m w2[4 m + t - 4] src[..] for 4 &lt;= t &lt; 8,
    /// z_t = z0 + t zStride.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Tile8x8(int m, float* w, float* w2, float* src, long plane, float* z0, long zStride)
    {
        Vector256<float> a = default, b = default, c = default, d = default, e = default, f = default, g = default, h = default;
        for (float* end = w + 4 * m; w < end; w += 4, w2 += 4, src += plane)
        {
            Vector256<float> v = Avx.LoadVector256(src);
            a = Fma.MultiplyAdd(Avx.BroadcastScalarToVector256(w), v, a);
            b = Fma.MultiplyAdd(Avx.BroadcastScalarToVector256(w + 1), v, b);
            c = Fma.MultiplyAdd(Avx.BroadcastScalarToVector256(w + 2), v, c);
            d = Fma.MultiplyAdd(Avx.BroadcastScalarToVector256(w + 3), v, d);
            e = Fma.MultiplyAdd(Avx.BroadcastScalarToVector256(w2), v, e);
            f = Fma.MultiplyAdd(Avx.BroadcastScalarToVector256(w2 + 1), v, f);
            g = Fma.MultiplyAdd(Avx.BroadcastScalarToVector256(w2 + 2), v, g);
            h = Fma.MultiplyAdd(Avx.BroadcastScalarToVector256(w2 + 3), v, h);
        }
        Avx.Store(z0, a); Avx.Store(z0 + zStride, b); Avx.Store(z0 + 2 * zStride, c); Avx.Store(z0 + 3 * zStride, d);
        z0 += 4 * zStride;
        Avx.Store(z0, e); Avx.Store(z0 + zStride, f); Avx.Store(z0 + 2 * zStride, g); Avx.Store(z0 + 3 * zStride, h);
    }

    /// <summary>z_t[0 .. 8) = sum_m w[4 m + t] src[m plane + 0 .. 8) for the four taps t (one vector: the pixels a plane
    /// leaves after its 24-pixel tiles), z_t = z0 + t zStride.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Tile4x8(int m, float* w, float* src, long plane, float* z0, long zStride)
    {
        Vector256<float> a = default, b = default, c = default, d = default;
        for (float* end = w + 4 * m; w < end; w += 4, src += plane)
        {
            Vector256<float> v = Avx.LoadVector256(src);
            a = Fma.MultiplyAdd(Avx.BroadcastScalarToVector256(w), v, a);
            b = Fma.MultiplyAdd(Avx.BroadcastScalarToVector256(w + 1), v, b);
            c = Fma.MultiplyAdd(Avx.BroadcastScalarToVector256(w + 2), v, c);
            d = Fma.MultiplyAdd(Avx.BroadcastScalarToVector256(w + 3), v, d);
        }
        Avx.Store(z0, a); Avx.Store(z0 + zStride, b); Avx.Store(z0 + 2 * zStride, c); Avx.Store(z0 + 3 * zStride, d);
    }
}

// ConvProduce's register tile (AVX2 + FMA): a 4 x 16 block of one phase plane in 8 Vector256 accumulators over all
// M TW steps (channel m, column tap s), the TH = 3 row taps unrolled. Per step: 3 broadcasts of the step's weights, then
// the 6 rows of pad the block reads, two vectors each; loaded row i feeds accumulator rows i - t (t < 3) with weight t.
// So 12 loads per 24 FMAs, and every accumulator gets 3 dependent FMAs per step with 8 independent chains (FMA latency
// 4, two per cycle): 8 accumulators + 3 weights + one loaded vector fit the 16 ymm registers. (Branch conv14 also ran
// TH = 2 tiles, 4 x 16 and 7 x 8, for the DCGAN's 4 x 4 stride-2 layers: slower than the lowering, removed;
// docs/PERFORMANCE-CONV.md.)
//
//   tile  D (4, 16) = sum_{p < steps} sum_{t < 3} w[3 p + t] X_p[t .. t + 4, 0 .. 16],  X_p = x + offs[p], row pitch `pitch`
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Latent.Tensors.Kernels;

internal static unsafe class ConvProduceAvx2
{
    /// <summary>Rows of a tile.</summary>
    public const int Rows = 4;

    /// <summary>Columns of a tile (two vectors).</summary>
    public const int Cols = 16;

    /// <summary>One 4 x 16 tile: d[r ldd + c] = sum_p sum_t w[3 p + t] x[offs[p] + (r + t) pitch + c].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Tile(int steps, float* w, int* offs, float* x, int pitch, float* d, int ldd)
    {
        Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default;
        Vector256<float> c20 = default, c21 = default, c30 = default, c31 = default;
        for (int p = 0; p < steps; p++, w += 3)
        {
            float* r = x + offs[p];
            Vector256<float> w0 = Avx.BroadcastScalarToVector256(w), w1 = Avx.BroadcastScalarToVector256(w + 1), w2 = Avx.BroadcastScalarToVector256(w + 2);
            Vector256<float> v = Avx.LoadVector256(r);                                            // row 0: out 0 (t 0)
            c00 = Fma.MultiplyAdd(w0, v, c00);
            v = Avx.LoadVector256(r + 8);
            c01 = Fma.MultiplyAdd(w0, v, c01);
            r += pitch;                                                                           // row 1: out 1, 0
            v = Avx.LoadVector256(r);
            c10 = Fma.MultiplyAdd(w0, v, c10); c00 = Fma.MultiplyAdd(w1, v, c00);
            v = Avx.LoadVector256(r + 8);
            c11 = Fma.MultiplyAdd(w0, v, c11); c01 = Fma.MultiplyAdd(w1, v, c01);
            r += pitch;                                                                           // row 2: out 2, 1, 0
            v = Avx.LoadVector256(r);
            c20 = Fma.MultiplyAdd(w0, v, c20); c10 = Fma.MultiplyAdd(w1, v, c10); c00 = Fma.MultiplyAdd(w2, v, c00);
            v = Avx.LoadVector256(r + 8);
            c21 = Fma.MultiplyAdd(w0, v, c21); c11 = Fma.MultiplyAdd(w1, v, c11); c01 = Fma.MultiplyAdd(w2, v, c01);
            r += pitch;                                                                           // row 3: out 3, 2, 1
            v = Avx.LoadVector256(r);
            c30 = Fma.MultiplyAdd(w0, v, c30); c20 = Fma.MultiplyAdd(w1, v, c20); c10 = Fma.MultiplyAdd(w2, v, c10);
            v = Avx.LoadVector256(r + 8);
            c31 = Fma.MultiplyAdd(w0, v, c31); c21 = Fma.MultiplyAdd(w1, v, c21); c11 = Fma.MultiplyAdd(w2, v, c11);
            r += pitch;                                                                           // row 4: out 3, 2
            v = Avx.LoadVector256(r);
            c30 = Fma.MultiplyAdd(w1, v, c30); c20 = Fma.MultiplyAdd(w2, v, c20);
            v = Avx.LoadVector256(r + 8);
            c31 = Fma.MultiplyAdd(w1, v, c31); c21 = Fma.MultiplyAdd(w2, v, c21);
            r += pitch;                                                                           // row 5: out 3
            v = Avx.LoadVector256(r);
            c30 = Fma.MultiplyAdd(w2, v, c30);
            v = Avx.LoadVector256(r + 8);
            c31 = Fma.MultiplyAdd(w2, v, c31);
        }
        Avx.Store(d, c00); Avx.Store(d + 8, c01); d += ldd;
        Avx.Store(d, c10); Avx.Store(d + 8, c11); d += ldd;
        Avx.Store(d, c20); Avx.Store(d + 8, c21); d += ldd;
        Avx.Store(d, c30); Avx.Store(d + 8, c31);
    }
}

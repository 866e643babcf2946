// Stride-2 phase planes, vectorised: splitting each image row into its even and odd columns (im2col) and adding
// them back interleaved (col2im) with AVX shuffles, 16 input floats at a time, then 8, then for a tail the row's last 8
// again (split: rewriting the same values) or 4 (merge), scalar for the rest and without AVX2.
//   split: P_a0[i, j] = x[2i + a, 2j],  P_a1[i, j] = x[2i + a, 2j + 1]      (P_ab[i, j] at Origin(a, b) + i Pitch + j)
//   merge: x[2i + a, 2j + b] += P_ab[i, j]
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Latent.Tensors.Kernels;

internal static partial class ConvColumns
{
    /// <summary>Plane (2 OH, 2 OW) into the interiors of the four padded phase planes.</summary>
    private static unsafe void SplitPhases2(float* pp, float* ph, in PhaseGrid q, int oh, int ow)
    {
        int w = 2 * ow;
        for (int r = 0; r < 2 * oh; r++)
        {
            float* src = pp + r * w, even = ph + q.Origin(r & 1, 0) + (r >> 1) * q.Pitch, odd = ph + q.Origin(r & 1, 1) + (r >> 1) * q.Pitch;
            int j = 0;
            if (Avx2.IsSupported)
                for (; j + 16 <= w; j += 16)
                {
                    Vector256<float> v0 = Avx.LoadVector256(src + j), v1 = Avx.LoadVector256(src + j + 8);
                    // per 128-bit lane: (v0[0], v0[2], v1[0], v1[2]); then reorder the 64-bit pairs to (0, 2, 1, 3)
                    Vector256<float> e = Avx.Shuffle(v0, v1, 0b10_00_10_00), o = Avx.Shuffle(v0, v1, 0b11_01_11_01);
                    Avx.Store(even + j / 2, Avx2.Permute4x64(e.AsDouble(), 0b11_01_10_00).AsSingle());
                    Avx.Store(odd + j / 2, Avx2.Permute4x64(o.AsDouble(), 0b11_01_10_00).AsSingle());
                }
            if (Avx2.IsSupported && j + 8 <= w)
            {
                // 8 floats (rows of 14 or 28 leave this remainder): the low half of the same shuffles.
                Vector256<float> v = Avx.LoadVector256(src + j);
                Vector256<float> e = Avx.Shuffle(v, v, 0b10_00_10_00), o = Avx.Shuffle(v, v, 0b11_01_11_01);
                Sse.Store(even + j / 2, Avx2.Permute4x64(e.AsDouble(), 0b11_01_10_00).AsSingle().GetLower());
                Sse.Store(odd + j / 2, Avx2.Permute4x64(o.AsDouble(), 0b11_01_10_00).AsSingle().GetLower());
                j += 8;
            }
            if (Avx2.IsSupported && j < w && w >= 8)
            {
                // The last 8 floats again (rows of 14: 6 of them already split): rewriting the same values is harmless.
                int t = w - 8;
                Vector256<float> v = Avx.LoadVector256(src + t);
                Vector256<float> e = Avx.Shuffle(v, v, 0b10_00_10_00), o = Avx.Shuffle(v, v, 0b11_01_11_01);
                Sse.Store(even + t / 2, Avx2.Permute4x64(e.AsDouble(), 0b11_01_10_00).AsSingle().GetLower());
                Sse.Store(odd + t / 2, Avx2.Permute4x64(o.AsDouble(), 0b11_01_10_00).AsSingle().GetLower());
                j = w;
            }
            for (; j < w; j += 2)
            {
                even[j / 2] = src[j];
                odd[j / 2] = src[j + 1];
            }
        }
    }

    /// <summary>Plane (2 OH, 2 OW) += the interiors of the four padded phase planes, interleaved back.</summary>
    private static unsafe void MergePhasesAdd2(float* ph, in PhaseGrid q, float* pp, int oh, int ow)
    {
        int w = 2 * ow;
        for (int r = 0; r < 2 * oh; r++)
        {
            float* dst = pp + r * w, even = ph + q.Origin(r & 1, 0) + (r >> 1) * q.Pitch, odd = ph + q.Origin(r & 1, 1) + (r >> 1) * q.Pitch;
            int j = 0;
            if (Avx2.IsSupported)
                for (; j + 16 <= w; j += 16)
                {
                    Vector256<float> e = Avx.LoadVector256(even + j / 2), o = Avx.LoadVector256(odd + j / 2);
                    Vector256<float> lo = Avx.UnpackLow(e, o), hi = Avx.UnpackHigh(e, o);
                    Avx.Store(dst + j, Avx.Add(Avx.LoadVector256(dst + j), Avx.Permute2x128(lo, hi, 0x20)));
                    Avx.Store(dst + j + 8, Avx.Add(Avx.LoadVector256(dst + j + 8), Avx.Permute2x128(lo, hi, 0x31)));
                }
            if (Avx2.IsSupported && j + 8 <= w)
            {
                Vector128<float> e = Sse.LoadVector128(even + j / 2), o = Sse.LoadVector128(odd + j / 2);
                Vector256<float> v = Vector256.Create(Sse.UnpackLow(e, o), Sse.UnpackHigh(e, o));
                Avx.Store(dst + j, Avx.Add(Avx.LoadVector256(dst + j), v));
                j += 8;
            }
            if (Avx2.IsSupported && j + 4 <= w)
            {
                // 4 more floats (two of each phase): not the row's last 8 again, whose load would wait on the partly
                // overlapping store just made (a store-forwarding stall made that slower than scalar code).
                Vector128<float> e = Sse.LoadVector128(even + j / 2), o = Sse.LoadVector128(odd + j / 2);
                Sse.Store(dst + j, Sse.Add(Sse.LoadVector128(dst + j), Sse.UnpackLow(e, o)));
                j += 4;
            }
            for (; j < w; j += 2)
            {
                dst[j] += even[j / 2];
                dst[j + 1] += odd[j / 2];
            }
        }
    }
}

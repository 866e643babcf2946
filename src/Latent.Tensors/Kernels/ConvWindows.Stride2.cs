// ConvWindows' buffers at stride 2 when every phase plane row holds exactly OW pixels (W = 2 OW: the DCGAN's D1
// forward and G2's input gradient, 28 -> 14), built a row of the image at a time:
//
//   image row ih = 2 (r - Top) + a, vectors at v = 0, 8, .., OW - 8 (the last overlapping the one before):
//     E = x[ih, 2 v + 2 l], O = x[ih, 2 v + 1 + 2 l]          (l < 8: two loads, a shuffle and a permute each)
//     every buffer (a, b, qw) of phase a:  buf[r, v + l] = (b == 0 ? E : O)[l] where max(qw, 0) <= v + l < OW + min(qw, 0),
//                                          else 0 (its wrap columns: a mask per buffer and vector)
//
// The general path (BuildChannel) gathers each buffer's rows on its own, so a 4 x 4 kernel's 8 buffers read every image
// row 4 times, a row call and a scalar tail at a time: 600 ns an image for D1 (this path: 290 ns), about 16 % of D1's
// forward on one thread (0.78 -> 0.66 ms with no build at all, session 17). Rows of 9 to 16 pixels keep both vectors in
// registers, and the buffers of even columns come before those of odd ones: per store, a few instructions (a loop that
// picked a vector per buffer ran at 465 ns). Same floats as the general path.
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Latent.Tensors.Kernels;

internal sealed unsafe partial class ConvWindows
{
    private int[]? _splitStarts;                                      // the row's vector columns v
    private int[][]? _splitOffsets;                                   // per phase a: where its buffers start in dst (b = 0 first)
    private int[][]? _splitOdd;                                       // per phase a: 1 for a buffer of odd columns (b = 1)
    private float[][]? _splitMasks;                                   // per phase a: per buffer and vector, 8 lanes (all bits or 0)

    private bool SplitApplies => _s == 2 && _w == 2 * _ow && _ow >= 8 && Avx2.IsSupported;

    private void InitSplit()
    {
        int nv = (_ow + 7) / 8;
        _splitStarts = [.. Enumerable.Range(0, nv).Select(k => Math.Min(8 * k, _ow - 8))];
        float all = BitConverter.Int32BitsToSingle(-1);
        int[][] ids = [.. Enumerable.Range(0, 2).Select(a => Enumerable.Range(0, _keys.Length).Where(id => _keys[id].A == a).OrderBy(id => _keys[id].B).ToArray())];
        _splitOffsets = [.. ids.Select(p => p.Select(id => id * BufferLength).ToArray())];
        _splitOdd = [.. ids.Select(p => p.Select(id => _keys[id].B).ToArray())];
        _splitMasks = [.. ids.Select(p =>
        {
            var m = new float[p.Length * nv * 8];
            for (int j = 0; j < p.Length; j++)
            {
                int qw = _keys[p[j]].Qw, lo = Math.Max(qw, 0), hi = _ow + Math.Min(qw, 0);
                for (int k = 0; k < nv; k++)
                    for (int l = 0; l < 8; l++)
                    {
                        int v = _splitStarts[k] + l;
                        m[(j * nv + k) * 8 + l] = v >= lo && v < hi ? all : 0f;
                    }
            }
            return m;
        })];
    }

    private void BuildSplit(float* image, float* dst, bool refill)
    {
        int nv = _splitStarts!.Length, ow = _ow, w = _w, top = _top, rows = Rows;
        if (!refill)
            for (int id = 0; id < _keys.Length; id++)
            {
                // Rows r with an image row 2 (r - Top) + a < H hold data; the rest are zero.
                int rHi = Math.Min(Rows, _top + (_h - _keys[id].A + 1) / 2);
                float* buf = dst + id * BufferLength;
                Zero(buf, 0, _top * _ow);
                Zero(buf, rHi * _ow, BufferLength);
            }
        fixed (int* starts = _splitStarts, off0 = _splitOffsets![0], off1 = _splitOffsets[1], odd0 = _splitOdd![0], odd1 = _splitOdd[1])
        fixed (float* masks0 = _splitMasks![0], masks1 = _splitMasks[1])
            for (int ih = 0; ih < _h; ih++)
            {
                int r = top + (ih >> 1);
                if (r >= rows) break;
                float* src = image + (long)ih * w, row = dst + r * ow;
                bool phase1 = (ih & 1) != 0;
                int count = phase1 ? _splitOffsets[1].Length : _splitOffsets[0].Length;
                int* offs = phase1 ? off1 : off0, odd = phase1 ? odd1 : odd0;
                float* masks = phase1 ? masks1 : masks0;
                if (nv == 2)
                {
                    // Rows of 9 to 16 pixels (the DCGAN's 14): both vectors in registers, two stores per buffer.
                    int v1 = starts[1];
                    Vector256<float> x0 = Avx.LoadVector256(src), x1 = Avx.LoadVector256(src + 8);
                    Vector256<float> x2 = Avx.LoadVector256(src + 2 * v1), x3 = Avx.LoadVector256(src + 2 * v1 + 8);
                    Vector256<float> e0 = Deinterleave(Avx.Shuffle(x0, x1, 0b10_00_10_00)), o0 = Deinterleave(Avx.Shuffle(x0, x1, 0b11_01_11_01));
                    Vector256<float> e1 = Deinterleave(Avx.Shuffle(x2, x3, 0b10_00_10_00)), o1 = Deinterleave(Avx.Shuffle(x2, x3, 0b11_01_11_01));
                    int j = 0;
                    for (; j < count && odd[j] == 0; j++, masks += 16)                  // the even columns' buffers first
                    {
                        float* d = row + offs[j];
                        Avx.Store(d, Avx.And(e0, Avx.LoadVector256(masks)));
                        Avx.Store(d + v1, Avx.And(e1, Avx.LoadVector256(masks + 8)));
                    }
                    for (; j < count; j++, masks += 16)
                    {
                        float* d = row + offs[j];
                        Avx.Store(d, Avx.And(o0, Avx.LoadVector256(masks)));
                        Avx.Store(d + v1, Avx.And(o1, Avx.LoadVector256(masks + 8)));
                    }
                    continue;
                }
                // One vector of the row at a time, its even and odd pixels in registers, stored into every buffer of the
                // phase (a loop over the buffers inside: no spill of the split row).
                for (int k = 0; k < nv; k++)
                {
                    int v = starts[k];
                    Vector256<float> x0 = Avx.LoadVector256(src + 2 * v), x1 = Avx.LoadVector256(src + 2 * v + 8);
                    Vector256<float> even = Deinterleave(Avx.Shuffle(x0, x1, 0b10_00_10_00));
                    Vector256<float> oddPixels = Deinterleave(Avx.Shuffle(x0, x1, 0b11_01_11_01));
                    float* m = masks + 8 * k;
                    for (int j = 0; j < count; j++, m += 8 * nv)
                        Avx.Store(row + offs[j] + v, Avx.And(odd[j] != 0 ? oddPixels : even, Avx.LoadVector256(m)));
                }
            }
    }

    /// <summary>row[v] = src[v S] for lo &lt;= v &lt; hi, reading no more than `avail` floats from src. With stride 2, a row's
    /// last 8 outputs are one more vector overlapping the one before where `avail` allows.</summary>
    private static void Gather(float* src, int s, int avail, float* row, int lo, int hi)
    {
        int v = lo;
        if (s == 1 && Vector256.IsHardwareAccelerated)
            for (; v + 8 <= hi; v += 8) Vector256.Store(Vector256.Load(src + v), row + v);
        else if (s == 2 && Avx2.IsSupported)
        {
            for (; v + 8 <= hi && 2 * v + 16 <= avail; v += 8) Avx.Store(row + v, Evens(src + 2 * v));
            if (v < hi && hi - 8 >= lo && 2 * (hi - 8) + 16 <= avail) { Avx.Store(row + hi - 8, Evens(src + 2 * (hi - 8))); v = hi; }
        }
        for (; v < hi; v++) row[v] = src[v * s];
    }

    // The even floats of p[0 .. 16).
    private static Vector256<float> Evens(float* p) =>
        Deinterleave(Avx.Shuffle(Avx.LoadVector256(p), Avx.LoadVector256(p + 8), 0b10_00_10_00));

    // A shuffle of (x, y) leaves per 128-bit lane (x0, x2, y0, y2); the 64-bit pairs reordered (0, 2, 1, 3) put x's
    // before y's.
    private static Vector256<float> Deinterleave(Vector256<float> shuffled) =>
        Avx2.Permute4x64(shuffled.AsDouble(), 0b11_01_10_00).AsSingle();
}

// The geometry of one ConvPixelTiles call. The read side R (RC channels, RH x RW) of each image is copied into a
// zero-bordered buffer; every output pixel of the write side (V channels, WH x WW) is a sum over contraction steps p
// of R at the pixel's base plus offs[p], times a row of W^T. Pixels fall into phases that share one offsets table:
//   consume (conv forward, convT dX): R = the image side (Ci, H, W), write = the column side (M, OH, OW), V = M; one
//     phase, steps (c, kh, kw), pixel (oh, ow) based at (S oh, S ow) of the buffer (Top = Left = P);
//   produce (conv dX, convT forward): R = the column side (M, OH, OW), write = the image side (Ci, H, W), V = Ci; one
//     phase per (a, b) = (row mod S, column mod S): row S u + a takes the taps kh_t = r + S t (r = (a + P) mod S) from
//     column-side row u + e_t, e_t = (a + P - kh_t) / S; steps (m, t, t'), pixel (u, v) based at (u, v) (+ Top, Left).
// Buffers (V16 = V rounded up to 16):
//   pad     (nb, RC, Rows, Pitch)     read image j at j PadImage + c ChanLen + (Top + i) Pitch + Left + k, zeros elsewhere
//   packed  per phase, K slice [p0, p0 + kc) and 16-channel panel q: [p0 V16 + q kc 16 + (p - p0) 16 + i] = W^T[p, 16 q + i]
//   T       (nb WH WW + 1, V16)       T[pixel, v]; the last row takes the padding entries of a phase's last tile;
//                                     out_j[v, o] (= b[v] + | +=) T[j WH WW + o, v] by 8 x 8 transposed blocks
// W is (M, Ci, KH, KW) as stored in both kinds (the conv's (F, C, ..), the convT's (C, F, ..)).

namespace Latent.Tensors.Kernels;

internal sealed unsafe partial class PixelTilePlan
{
    /// <summary>Most contraction steps of one K slice: a 16-channel panel of 320 x 16 floats (20 KB) stays in L1.</summary>
    private const int SliceSteps = 320;
    private const int TilePixels = ConvPixelTilesAvx2.Rows, TileChannels = ConvPixelTilesAvx2.Cols;

    private readonly int _v, _v16, _rc, _rh, _rw, _top, _left, _pitch, _chanLen, _padImage, _writePixels, _tRows;
    private readonly Phase[] _phases;

    /// <summary>The pixels of one phase (for a full group, image-major) and its contraction.</summary>
    private sealed class Phase
    {
        public required int[] Offs { get; init; }          // (K) read offsets from a pixel's base
        public required int[] WeightAt { get; init; }      // (K) W index of step p for channel 0
        public required int WeightStride { get; init; }    // W index step from channel v to v + 1
        public required int[] Read { get; init; }          // (nb PerImage) pixel bases in pad
        public required int[] Row { get; init; }          // (nb PerImage) pixel rows of T
        public required int PerImage { get; init; }
        public required (int P0, int Kc)[] Slices { get; init; }
        public int PackedAt { get; set; }
    }

    public PixelTilePlan(in ConvShape g, bool produce)
    {
        int ci = g.ImageChannels, m = g.Transposed ? g.InChannels : g.OutChannels, s = g.Stride, p = g.Padding;
        int kh = g.KernelHeight, kw = g.KernelWidth, kk = kh * kw, ih = g.ImageHeight, iw = g.ImageWidth, oh = g.ColHeight, ow = g.ColWidth;
        _v = produce ? ci : m;
        _v16 = (_v + TileChannels - 1) / TileChannels * TileChannels;
        _rc = produce ? m : ci; _rh = produce ? oh : ih; _rw = produce ? ow : iw;
        int wh = produce ? ih : oh, ww = produce ? iw : ow;
        _writePixels = wh * ww;
        ReadLength = _rc * _rh * _rw;
        OutLength = _v * _writePixels;
        // Per axis and phase: the read shifts of its taps, the taps, and its pixels; pixel y of a phase reads at
        // step y + shift (step S for consume, 1 for produce), zeros outside [0, RH) / [0, RW).
        var rowPhases = produce ? Phases(s, p, kh, ih) : [Consume(p, kh, oh)];
        var colPhases = produce ? Phases(s, p, kw, iw) : [Consume(p, kw, ow)];
        int step = produce ? 1 : s;
        (_top, int rows) = Extent(rowPhases, _rh, step);
        (_left, _pitch) = Extent(colPhases, _rw, step);
        _chanLen = rows * _pitch;
        _padImage = _rc * _chanLen;
        int minPixels = int.MaxValue;
        foreach (var rp in rowPhases) foreach (var cp in colPhases) if (rp.Pixels > 0 && cp.Pixels > 0) minPixels = Math.Min(minPixels, rp.Pixels * cp.Pixels);
        // Images per group: about 144 pixels per phase or more (a 7 x 7 phase: three images), the buffer at most 256 KB.
        Group = Math.Clamp((144 + minPixels - 1) / minPixels, 1, Math.Max(1, 65_536 / _padImage));
        _tRows = Group * _writePixels + 1;
        var phases = new List<Phase>();
        int packedAt = 0;
        for (int a = 0; a < rowPhases.Length; a++)
            for (int b = 0; b < colPhases.Length; b++)
            {
                var (th, tapH, u) = rowPhases[a];
                var (tw, tapW, v) = colPhases[b];
                if (u == 0 || v == 0) continue;
                int unitSteps = th.Length * tw.Length, units = _rc, k = units * unitSteps;
                var offs = new int[k];
                var wAt = new int[k];
                for (int c = 0; c < units; c++)
                    for (int t = 0; t < th.Length; t++)
                        for (int t2 = 0; t2 < tw.Length; t2++)
                        {
                            int q = c * unitSteps + t * tw.Length + t2;
                            offs[q] = c * _chanLen + (th[t] + _top) * _pitch + tw[t2] + _left;
                            // consume: step (channel c, tap) of W[v, c, ..]; produce: step (channel m = c, tap) of W[m, v, ..]
                            wAt[q] = (produce ? c * ci : c) * kk + tapH[t] * kw + tapW[t2];
                        }
                var read = new int[Group * u * v];
                var row = new int[Group * u * v];
                for (int j = 0, i = 0; j < Group; j++)
                    for (int y = 0; y < u; y++)
                        for (int x = 0; x < v; x++, i++)
                        {
                            read[i] = j * _padImage + step * y * _pitch + step * x;
                            row[i] = j * _writePixels + (produce ? (s * y + a) * ww + s * x + b : y * ww + x);
                        }
                var phase = new Phase
                {
                    Offs = offs, WeightAt = wAt, WeightStride = produce ? kk : ci * kk, Read = read, Row = row, PerImage = u * v,
                    Slices = Slices(units, unitSteps), PackedAt = packedAt,
                };
                packedAt += k * _v16;
                phases.Add(phase);
            }
        _phases = [.. phases];
        PackedLength = packedAt;
    }

    /// <summary>Images per group (one bordered buffer, one T).</summary>
    public int Group { get; }

    /// <summary>Floats of one image on the read side (RC RH RW).</summary>
    public int ReadLength { get; }

    /// <summary>Floats of one image on the write side (V WH WW).</summary>
    public int OutLength { get; }

    /// <summary>Floats of the packed W^T of every phase.</summary>
    public int PackedLength { get; }

    /// <summary>Floats of the bordered buffer of a group, with slack.</summary>
    public int PadLength => Group * _padImage + 8;

    /// <summary>Floats of T.</summary>
    public int TLength => _tRows * _v16;

    /// <summary>Packs W into the 16-channel panels of W^T of every phase and K slice (channels past V zero).</summary>
    public void PackWeights(ReadOnlySpan<float> w, Span<float> packed)
    {
        foreach (Phase ph in _phases)
            foreach (var (p0, kc) in ph.Slices)
                for (int q = 0; q < _v16 / TileChannels; q++)
                {
                    Span<float> panel = packed.Slice(ph.PackedAt + p0 * _v16 + q * kc * TileChannels, kc * TileChannels);
                    for (int p = 0; p < kc; p++)
                        for (int i = 0; i < TileChannels; i++)
                        {
                            int v = q * TileChannels + i;
                            panel[p * TileChannels + i] = v < _v ? w[ph.WeightAt[p0 + p] + v * ph.WeightStride] : 0f;
                        }
                }
    }

    /// <summary>Copies nb read-side images (RC, RH, RW) into the data region of the bordered buffer (its borders are zero
    /// and stay so).</summary>
    public void Pad(float* img, int nb, float* pad)
    {
        for (int j = 0; j < nb; j++)
            for (int c = 0; c < _rc; c++)
            {
                float* src = img + (long)j * ReadLength + (long)c * _rh * _rw, dst = pad + (long)j * _padImage + c * _chanLen + _top * _pitch + _left;
                for (int r = 0; r < _rh; r++) BufferKernels.CopyRow(src + r * _rw, dst + r * _pitch, _rw);
            }
    }


    /// <summary>T (nb WH WW, V16) = the product for the first nb images of the group in the bordered buffer.</summary>
    public void Tiles(float* packed, float* pad, int nb, float* t)
    {
        float** xs = stackalloc float*[TilePixels];
        float** ds = stackalloc float*[TilePixels];
        float* spare = t + (long)(_tRows - 1) * _v16;
        foreach (Phase ph in _phases)
        {
            int count = nb * ph.PerImage, blocks = (count + TilePixels - 1) / TilePixels;
            fixed (int* offs = ph.Offs, read = ph.Read, row = ph.Row)
                for (int sl = 0; sl < ph.Slices.Length; sl++)
                {
                    var (p0, kc) = ph.Slices[sl];
                    for (int q = 0; q < _v16 / TileChannels; q++)
                    {
                        float* b = packed + ph.PackedAt + (long)p0 * _v16 + q * kc * TileChannels;
                        for (int blk = 0; blk < blocks; blk++)
                        {
                            for (int i = 0; i < TilePixels; i++)
                            {
                                int r = blk * TilePixels + i;
                                xs[i] = pad + read[r < count ? r : 0];
                                ds[i] = (r < count ? t + (long)row[r] * _v16 : spare) + q * TileChannels;
                            }
                            ConvPixelTilesAvx2.Tile(kc, offs + p0, b, xs, ds, sl > 0);
                        }
                    }
                }
        }
    }

    /// <summary>out_j (V, WH WW) (= T^T + bias | += T^T) for the first nb images of the group: 8 x 8 blocks transposed
    /// straight into the output rows, the pixels past the last whole 8 of an image and channels past the last whole 8 one
    /// by one.</summary>
    public void Store(float* t, int nb, float* outp, bool accumulate, float* bias)
    {
        int wp = _writePixels, full = wp & ~7, mode = accumulate ? 2 : bias != null ? 1 : 0;
        for (int j = 0; j < nb; j++)
        {
            float* tj = t + (long)j * wp * _v16, oj = outp + (long)j * OutLength;
            for (int v0 = 0; v0 < _v; v0 += 8)
            {
                int rows = Math.Min(8, _v - v0), o = 0;
                if (rows == 8)
                    for (; o < full; o += 8)
                        ConvPixelTilesAvx2.StoreTransposed8x8(tj + (long)o * _v16 + v0, _v16, oj + (long)v0 * wp + o, wp, mode, bias + v0);
                for (int v = v0; v < v0 + rows; v++)
                {
                    float* d = oj + (long)v * wp;
                    float add = mode == 1 ? bias[v] : 0f;
                    for (int q = rows == 8 ? o : 0; q < wp; q++)
                    {
                        float x = tj[(long)q * _v16 + v];
                        d[q] = accumulate ? d[q] + x : x + add;
                    }
                }
            }
        }
    }

    // Produce, one axis: for each phase a < S, the column-side shifts e_t = (a + P - k_t) / S of its taps k_t = r + S t
    // (r = (a + P) mod S) and its pixel count.
    private static (int[] Shifts, int[] Taps, int Pixels)[] Phases(int s, int p, int k, int size)
    {
        var phases = new (int[], int[], int)[s];
        for (int a = 0; a < s; a++)
        {
            int r = (a + p) % s, n = r < k ? (k - r + s - 1) / s : 0;
            var e = new int[n];
            var taps = new int[n];
            for (int t = 0; t < n; t++) { taps[t] = r + s * t; e[t] = (a + p - taps[t]) / s; }
            phases[a] = (e, taps, a < size ? (size - a + s - 1) / s : 0);
        }
        return phases;
    }

    // Consume, one axis: tap k reads at S y + k - P.
    private static (int[] Shifts, int[] Taps, int Pixels) Consume(int p, int k, int pixels) =>
        ([.. Enumerable.Range(0, k).Select(t => t - p)], [.. Enumerable.Range(0, k)], pixels);

    // The zero border before the data and the buffer's extent along one axis: every read of every phase lands inside.
    private static (int Border, int Extent) Extent((int[] Shifts, int[] Taps, int Pixels)[] phases, int size, int step)
    {
        int border = 0;
        foreach (var (e, _, pixels) in phases)
            if (pixels > 0)
                foreach (int shift in e) border = Math.Max(border, -shift);
        int extent = border + size;
        foreach (var (e, _, pixels) in phases)
            if (pixels > 0)
                foreach (int shift in e) extent = Math.Max(extent, border + step * (pixels - 1) + shift + 1);
        return (border, extent);
    }

    // K slices of whole units (channels of the read side), balanced, each at most SliceSteps steps (or one unit).
    private static (int P0, int Kc)[] Slices(int units, int unitSteps)
    {
        if (unitSteps == 0) return [(0, 0)];                         // a phase no tap reaches: T rows of zeros
        int per = Math.Max(1, SliceSteps / unitSteps), count = (units + per - 1) / per;
        per = (units + count - 1) / count;
        var slices = new (int, int)[count];
        for (int i = 0; i < count; i++) slices[i] = (i * per * unitSteps, Math.Min(per, units - i * per) * unitSteps);
        return slices;
    }
}

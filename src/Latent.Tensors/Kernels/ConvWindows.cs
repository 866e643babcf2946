// The rows of im2col for an image of few channels (one: ConvDirect; the output gradient of ConvSmallOut), as windows
// into a few shifted copies of the image:
//
//   row t = (kh, kw) of im2col:  col[t, y OW + x] = x[S y - P + kh, S x - P + kw]  (0 outside)
//                                                 = W_t[Offs[t] + y OW + x],   y < OH, x < OW
//
// With kh - P = S qh + a and kw - P = S qw + b (0 <= a, b < S), that pixel is P_ab[y + qh, x + qw] of the phase plane
// P_ab[u, v] = x[S u + a, S v + b]. One buffer per distinct (a, b, qw) holds P_ab with rows u = -Top .. OH - 1 + Bottom
// (zero outside the image, and one more zero row at each end) at pitch OW, and its columns that a shift by qw would wrap into the next or previous row
// (v < qw for qw > 0, v >= OW + qw for qw < 0) set to zero: so x + qw running past a row's end reads the zero that
// the window needs there, and every window is one contiguous run of OH OW floats (vector loads, no bounds). A 3 x 3
// stride-1 kernel takes 3 buffers (qw = -1, 0, 1), a 4 x 4 stride-2 one 8: a few image-sized copies instead of
// 9 or 16 rows of im2col. Requires S OW >= W (no image column right of the last window) and |qw| < OW.
using System.Runtime.Intrinsics;

namespace Latent.Tensors.Kernels;

internal sealed unsafe partial class ConvWindows
{
    /// <summary>Zero floats after the last buffer: the direct kernels' vectors may read up to 31 floats past a window.</summary>
    private const int Slack = 32;

    private readonly int _c, _s, _h, _w, _oh, _ow, _top, _kk;
    private readonly (int A, int B, int Qw)[] _keys;

    public ConvWindows(in ConvShape g)
    {
        _c = g.ImageChannels; _s = g.Stride; _h = g.ImageHeight; _w = g.ImageWidth; _oh = g.ColHeight; _ow = g.ColWidth;
        int kh = g.KernelHeight, kw = g.KernelWidth, p = g.Padding;
        var keys = new List<(int, int, int)>();
        _kk = kh * kw;
        Offs = new int[_c * _kk];
        int qhMin = 0, qhMax = 0;
        for (int i = 0; i < kh; i++) { int q = FloorDiv(i - p, _s); qhMin = Math.Min(qhMin, q); qhMax = Math.Max(qhMax, q); }
        _top = -qhMin + 1;                                                // one zero guard row above and below: a wrap
        Rows = _top + _oh + qhMax + 1;                                    // past the first or last row reads zeros
        BufferLength = Rows * _ow;
        for (int i = 0; i < kh; i++)
            for (int j = 0; j < kw; j++)
            {
                int qh = FloorDiv(i - p, _s), a = i - p - _s * qh, qw = FloorDiv(j - p, _s), b = j - p - _s * qw;
                int id = keys.IndexOf((a, b, qw));
                if (id < 0) { id = keys.Count; keys.Add((a, b, qw)); }
                Offs[i * kw + j] = id * BufferLength + (_top + qh) * _ow + qw;
            }
        _keys = [.. keys];
        ChannelLength = _keys.Length * BufferLength;
        for (int ci = 1; ci < _c; ci++)
            for (int t = 0; t < _kk; t++) Offs[ci * _kk + t] = ci * ChannelLength + Offs[t];
        Length = _c * ChannelLength + Slack;
        if (SplitApplies) InitSplit();
    }

    /// <summary>True when the direct kernels apply: one image channel and <see cref="Fits"/>.</summary>
    public static bool Applies(in ConvShape g) => g.ImageChannels == 1 && Fits(g);

    /// <summary>True when the windows can be built: no image column right of the last window, |qw| &lt; OW.</summary>
    public static bool Fits(in ConvShape g)
    {
        if (g.Stride * g.ColWidth < g.ImageWidth) return false;
        for (int j = 0; j < g.KernelWidth; j++)
            if (Math.Abs(FloorDiv(j - g.Padding, g.Stride)) >= g.ColWidth) return false;
        return true;
    }

    /// <summary>Where window (c, t) starts: im2col row c KK + t is W[Offs[c KK + t] .. + OH OW).</summary>
    public int[] Offs { get; }

    /// <summary>Rows of one buffer (Top + OH + Bottom) at pitch OW.</summary>
    public int Rows { get; }

    /// <summary>Floats of one buffer.</summary>
    public int BufferLength { get; }

    /// <summary>Floats of one channel's buffers.</summary>
    public int ChannelLength { get; }

    /// <summary>Floats of all buffers of one image, plus the zero slack.</summary>
    public int Length { get; }

    /// <summary>Writes the buffers of one image (C, H, W) into dst (Length floats). With <paramref name="refill"/>, dst
    /// holds an earlier image's buffers of this geometry (the same thread's scratch) and only the image's pixels are
    /// written: the zero rows, wrap columns and slack are already in place (D1's forward 0.42 -> 0.40 ms on the flat tiles,
    /// 2 threads).</summary>
    public void Build(float* image, float* dst, bool refill = false)
    {
        for (int ci = 0; ci < _c; ci++) BuildChannel(image + (long)ci * _h * _w, dst + (long)ci * ChannelLength, refill);
        if (!refill) Zero(dst + _c * ChannelLength, 0, Slack);
    }

    private void BuildChannel(float* image, float* dst, bool refill)
    {
        if (_splitMasks is not null) { BuildSplit(image, dst, refill); return; }
        for (int id = 0; id < _keys.Length; id++)
        {
            (int a, int b, int qw) = _keys[id];
            float* buf = dst + id * BufferLength;
            if (_s == 1 && _ow == _w) { BuildContiguous(image, buf, qw, refill); continue; }
            // Columns v read from the image: S v + b < W; the others (and the wrap columns of qw) stay zero. Rows r whose
            // image row S (r - Top) + a exists: rLo <= r < rHi; the rest are zero.
            int vLo = qw > 0 ? qw : 0, vHi = Math.Min(qw < 0 ? _ow + qw : _ow, (_w - b + _s - 1) / _s);
            int rLo = vHi <= vLo ? Rows : _top;
            int rHi = Math.Max(rLo, Math.Min(Rows, _top + (_h - a + _s - 1) / _s));
            if (!refill) { Zero(buf, 0, rLo * _ow); Zero(buf, rHi * _ow, BufferLength); }
            for (int r = rLo; r < rHi; r++)
            {
                float* row = buf + r * _ow;
                int ih = _s * (r - _top) + a;
                if (!refill) Zero(row, 0, vLo);
                Gather(image + (long)ih * _w + b, _s, (_h - ih) * _w - b, row, vLo, vHi);   // may read on into the image's next rows
                if (!refill) Zero(row, vHi, _ow);
            }
        }
    }

    // Stride 1 with the window pitch equal to the image's (OW = W): the buffer's data rows are the image's rows as they
    // lie, so they are one block copy, then the columns a shift by qw wraps into (v < qw, or v >= OW + qw) are zeroed.
    // Same floats as the row-by-row path, at a fraction of its cost for 28-pixel rows (ConvRowTiles' flat tiles rebuild
    // the windows of every image).
    private void BuildContiguous(float* image, float* buf, int qw, bool refill)
    {
        int rows = Math.Max(0, Math.Min(_h, Rows - _top));
        if (!refill) Zero(buf, 0, _top * _ow);
        new ReadOnlySpan<float>(image, rows * _w).CopyTo(new Span<float>(buf + _top * _ow, rows * _w));
        if (!refill) Zero(buf, (_top + rows) * _ow, BufferLength);
        int vLo = qw > 0 ? qw : 0, vHi = qw < 0 ? _ow + qw : _ow;
        for (int r = _top; r < _top + rows; r++)
        {
            float* row = buf + r * _ow;
            for (int v = 0; v < vLo; v++) row[v] = 0f;
            for (int v = vHi; v < _ow; v++) row[v] = 0f;
        }
    }

    private static void Zero(float* row, int from, int to)
    {
        int v = from;
        if (Vector256.IsHardwareAccelerated) for (; v + 8 <= to; v += 8) Vector256.Store(Vector256<float>.Zero, row + v);
        for (; v < to; v++) row[v] = 0f;
    }

    private static int FloorDiv(int a, int b) => a >= 0 ? a / b : -((-a + b - 1) / b);
}

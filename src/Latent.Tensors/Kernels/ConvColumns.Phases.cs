// The phase-plane path of im2col / col2im (see ConvColumns.cs), for geometries whose output tiles the image
// (OH S = H, OW S = W). Per channel, the S x S phase planes P_ab (OH, OW) are stored with a zero border:
//
//   Q_ab[(Top + i) Pitch + Left + j] = P_ab[i, j] = x[i S + a, j S + b],  0 in the border
//
// Top / Left (Bottom / Right) cover the most negative (positive) shift qh, qw = floor((k - P) / S) of any kernel
// tap, so column row (c, kh, kw) = P_ab shifted by (qh, qw), zeros outside, reads row y of its plane as
//   col[y OW + x] = Q_ab[(Top + y + qh) Pitch + Left + qw + x],  x < OW,
// one unmasked run of OW floats per row: vector copies, the last vector of a row spilling into the next row, which
// overwrites it. col2im is the adjoint: each row is added into its plane (contributions that land in the border are
// those of pixels outside the image and are dropped), then the planes' interiors are added back into the image.
// Measured on the DCGAN's conv 64 -> 128 (k4 s2 p1, 14 x 14 -> 7 x 7) on one thread: about 18 us per image for
// im2col and for col2im before (16 shifted copies of 49 floats per channel, each with its border loops), see the
// commit for after.
using System.Runtime.Intrinsics;

namespace Latent.Tensors.Kernels;

internal static partial class ConvColumns
{
    [ThreadStatic] private static float[]? t_planes;

    /// <summary>The padded phase planes of one geometry: S x S planes of Rows x Pitch floats, plus slack for vector overreads.</summary>
    private readonly struct PhaseGrid
    {
        public PhaseGrid(in ConvShape g)
        {
            S = g.Stride;
            int p = g.Padding;
            int qh0 = Split(0, p, S).Shift, qh1 = Split(g.KernelHeight - 1, p, S).Shift;
            int qw0 = Split(0, p, S).Shift, qw1 = Split(g.KernelWidth - 1, p, S).Shift;
            Top = Math.Max(0, -qh0);
            Left = Math.Max(0, -qw0);
            Rows = Top + g.ColHeight + Math.Max(0, qh1);
            // At least OW rounded up to 8: a row's last vector (its masked tail in col2im) then ends before the next
            // row's first vector starts, so no load waits on a partly overlapping store (a store-forwarding stall:
            // 30 % slower col2im with rows of 14 in a pitch of 15).
            Pitch = Math.Max(Left + g.ColWidth + Math.Max(0, qw1), (g.ColWidth + 7) & ~7);
            PlaneSize = Rows * Pitch;
        }

        public int S { get; }
        public int Top { get; }
        public int Left { get; }
        public int Rows { get; }
        public int Pitch { get; }
        public int PlaneSize { get; }

        /// <summary>Floats of all S x S planes plus 16 of slack: a row's last vector may read or add (zeros) past its plane.</summary>
        public int Length => S * S * PlaneSize + 16;

        /// <summary>Offset of P_ab[0, 0] in the planes.</summary>
        public int Origin(int a, int b) => (a * S + b) * PlaneSize + Top * Pitch + Left;

        /// <summary>taps[kh KW + kw] = where column row (c, kh, kw) starts reading in the planes: P_ab[qh, qw].</summary>
        public void Taps(in ConvShape g, Span<int> taps)
        {
            for (int ki = 0; ki < g.KernelHeight; ki++)
            {
                (int a, int qh) = Split(ki, g.Padding, S);
                for (int kj = 0; kj < g.KernelWidth; kj++)
                {
                    (int b, int qw) = Split(kj, g.Padding, S);
                    taps[ki * g.KernelWidth + kj] = Origin(a, b) + qh * Pitch + qw;
                }
            }
        }
    }

    private static Span<float> Planes(int length)
    {
        float[]? a = t_planes;
        if (a is null || a.Length < length) t_planes = a = new float[Math.Max(length, 1024)];
        return a.AsSpan(0, length);
    }

    /// <summary>kernel offset k - P = S q + a with 0 &lt;= a &lt; S: the phase a and the shift q.</summary>
    private static (int Phase, int Shift) Split(int k, int p, int s)
    {
        int r = k - p, a = ((r % s) + s) % s;
        return (a, (r - a) / s);
    }

    private static unsafe void Im2ColPhases(ReadOnlySpan<float> image, in ConvShape g, Span<float> col, int ld)
    {
        int c = g.ImageChannels, h = g.ImageHeight, w = g.ImageWidth, s = g.Stride, p = g.Padding;
        int kh = g.KernelHeight, kw = g.KernelWidth, oh = g.ColHeight, ow = g.ColWidth, ohw = oh * ow;
        CheckSpans(image.Length, c * h * w, col.Length, (long)(c * kh * kw - 1) * ld + ohw, ld, ohw);
        var q = new PhaseGrid(g);
        Span<int> taps = kh * kw <= 256 ? stackalloc int[kh * kw] : new int[kh * kw];
        q.Taps(g, taps);
        Span<float> planes = Planes(q.Length);
        planes.Clear();                                                    // the borders stay zero for every channel
        fixed (float* pi = image, pc = col, pq = planes)
            for (int ci = 0; ci < c; ci++)
            {
                SplitInto(pi + ci * h * w, pq, q, oh, ow);
                float* rows = pc + (long)ci * taps.Length * ld;
                for (int t = 0; t < taps.Length; t++) CopyRows(pq + taps[t], q.Pitch, rows + (long)t * ld, oh, ow);
            }
    }

    private static unsafe void Col2ImPhases(ReadOnlySpan<float> col, in ConvShape g, Span<float> image, int ld)
    {
        int c = g.ImageChannels, h = g.ImageHeight, w = g.ImageWidth, s = g.Stride, p = g.Padding;
        int kh = g.KernelHeight, kw = g.KernelWidth, oh = g.ColHeight, ow = g.ColWidth, ohw = oh * ow;
        CheckSpans(image.Length, c * h * w, col.Length, (long)(c * kh * kw - 1) * ld + ohw, ld, ohw);
        var q = new PhaseGrid(g);
        Span<int> taps = kh * kw <= 256 ? stackalloc int[kh * kw] : new int[kh * kw];
        q.Taps(g, taps);
        Span<float> planes = Planes(q.Length);
        fixed (float* pi = image, pc = col, pq = planes)
            for (int ci = 0; ci < c; ci++)
            {
                planes.Clear();
                for (int t = 0; t < taps.Length; t++)
                {
                    long row = ((long)ci * taps.Length + t) * ld;
                    AddRows(pc + row, col.Length - row, pq + taps[t], q.Pitch, oh, ow);
                }
                MergeAdd(pq, q, pi + ci * h * w, oh, ow);
            }
    }

    private static void CheckSpans(int imageLength, int imageNeed, int colLength, long colNeed, int ld, int ohw)
    {
        if (ld < ohw) throw new ArgumentException($"im2col: column stride {ld} is smaller than one image's {ohw} columns.");
        if (imageLength < imageNeed || colLength < colNeed)
            throw new ArgumentException($"im2col: the image needs {imageNeed} floats (span has {imageLength}), the columns {colNeed} (span has {colLength}).");
    }

    /// <summary>The interiors of the S x S padded planes from one channel (S OH, S OW).</summary>
    private static unsafe void SplitInto(float* plane, float* pq, in PhaseGrid q, int oh, int ow)
    {
        int s = q.S, w = s * ow;
        if (s == 1)
            for (int i = 0; i < oh; i++) Buffer.MemoryCopy(plane + i * w, pq + q.Origin(0, 0) + i * q.Pitch, ow * sizeof(float), ow * sizeof(float));
        else if (s == 2) SplitPhases2(plane, pq, q, oh, ow);
        else
            for (int a = 0; a < s; a++)
                for (int b = 0; b < s; b++)
                    for (int i = 0; i < oh; i++)
                    {
                        float* src = plane + (i * s + a) * w + b, dst = pq + q.Origin(a, b) + i * q.Pitch;
                        for (int j = 0; j < ow; j++) dst[j] = src[j * s];
                    }
    }

    /// <summary>Channel (S OH, S OW) += the interiors of the S x S padded planes.</summary>
    private static unsafe void MergeAdd(float* pq, in PhaseGrid q, float* plane, int oh, int ow)
    {
        int s = q.S, w = s * ow;
        if (s == 1)
            for (int i = 0; i < oh; i++) AddInPlace(plane + i * w, pq + q.Origin(0, 0) + i * q.Pitch, ow);
        else if (s == 2) MergePhasesAdd2(pq, q, plane, oh, ow);
        else
            for (int a = 0; a < s; a++)
                for (int b = 0; b < s; b++)
                    for (int i = 0; i < oh; i++)
                    {
                        float* src = pq + q.Origin(a, b) + i * q.Pitch, dst = plane + (i * s + a) * w + b;
                        for (int j = 0; j < ow; j++) dst[j * s] += src[j];
                    }
    }

    /// <summary>
    /// dst[y OW + x] = src[y pitch + x] for y &lt; OH, x &lt; OW (dst holds OH OW floats). A row's last vector may read
    /// past its OW floats (src has slack) and write up to 7 floats past them when a later row overwrites those.
    /// </summary>
    private static unsafe void CopyRows(float* src, int pitch, float* dst, int oh, int ow)
    {
        int full = ow & ~7, end = oh * ow;
        for (int y = 0; y < oh; y++, src += pitch, dst += ow)
        {
            int x = 0;
            if (Vector256.IsHardwareAccelerated)
            {
                for (; x < full; x += 8) Vector256.Store(Vector256.Load(src + x), dst + x);
                if (x < ow && y * ow + x + 8 <= end) { Vector256.Store(Vector256.Load(src + x), dst + x); continue; }
                if (x + 4 <= ow) { Vector128.Store(Vector128.Load(src + x), dst + x); x += 4; }
            }
            for (; x < ow; x++) dst[x] = src[x];
        }
    }

    /// <summary>
    /// dst[y pitch + x] += src[y OW + x] for y &lt; OH, x &lt; OW. A row's last vector reads up to 7 floats past its OW
    /// (when src has srcLength floats for it) and adds zeros in their place (dst has slack).
    /// </summary>
    private static unsafe void AddRows(float* src, long srcLength, float* dst, int pitch, int oh, int ow)
    {
        int full = ow & ~7, tail = ow - full;
        Vector256<float> mask = Vector256.LessThan(Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7), Vector256.Create(tail)).AsSingle();
        for (int y = 0; y < oh; y++, src += ow, dst += pitch)
        {
            int x = 0;
            if (Vector256.IsHardwareAccelerated)
            {
                for (; x < full; x += 8) Vector256.Store(Vector256.Load(dst + x) + Vector256.Load(src + x), dst + x);
                if (x < ow && (long)y * ow + x + 8 <= srcLength)
                {
                    Vector256.Store(Vector256.Load(dst + x) + (Vector256.Load(src + x) & mask), dst + x);
                    continue;
                }
            }
            for (; x < ow; x++) dst[x] += src[x];
        }
    }

    /// <summary>d[i] += s[i] for i &lt; n, vectorised (each element one rounded add, as TensorPrimitives.Add).</summary>
    private static unsafe void AddInPlace(float* d, float* s, int n)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
            for (; i + 8 <= n; i += 8) Vector256.Store(Vector256.Load(d + i) + Vector256.Load(s + i), d + i);
        for (; i < n; i++) d[i] += s[i];
    }
}

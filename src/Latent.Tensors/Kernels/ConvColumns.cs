// im2col and col2im for one image (Chellapilla et al. 2006, "High performance convolutional neural networks
// for document processing"; Caffe's im2col_cpu / col2im_cpu).
//
//   col[(c KH + kh) KW + kw, oh OW + ow] = x[c, oh S - P + kh, ow S - P + kw]   (0 outside the image)
//
// image (C, H, W), col (C KH KW, OH OW). col2im is the adjoint: it adds every column entry back into the pixel
// it came from, so overlapping windows accumulate (the input gradient of a convolution, the output of a
// transposed convolution).
//
// Fast path ("phase planes"), taken when the output tiles the image exactly (OH S = H, OW S = W: stride 1 with
// "same" padding, or stride S with H, W multiples of S, as in every layer of the ConvVAE and the DCGAN): split each
// channel into S x S phase planes P_ab[i, j] = x[i S + a, j S + b] of size (OH, OW). With kh - P = S qh + a and
// kw - P = S qw + b, column row (c, kh, kw) is P_ab shifted by (qh, qw), so it is one contiguous copy of OH OW floats
// plus a few zeroed border entries, instead of OH short (or strided) copies. col2im is the same shifted add.
using System.Runtime.Intrinsics;

namespace Latent.Tensors.Kernels;

internal static partial class ConvColumns
{
    /// <summary>Unfolds one image (C, H, W) into col (C KH KW, OH OW), whose rows start ld floats apart (ld &gt;= OH OW:
    /// several images side by side in one column matrix, each at its own column offset).</summary>
    public static void Im2Col(ReadOnlySpan<float> image, in ConvShape g, Span<float> col, int ld)
    {
        if (Tiles(g)) { Im2ColPhases(image, g, col, ld); return; }
        int c = g.ImageChannels, h = g.ImageHeight, w = g.ImageWidth;
        int kh = g.KernelHeight, kw = g.KernelWidth, s = g.Stride, p = g.Padding;
        int oh = g.ColHeight, ow = g.ColWidth, ohw = oh * ow;
        for (int ci = 0; ci < c; ci++)
        {
            ReadOnlySpan<float> plane = image.Slice(ci * h * w, h * w);
            for (int ki = 0; ki < kh; ki++)
                for (int kj = 0; kj < kw; kj++)
                {
                    Span<float> row = col.Slice(((ci * kh + ki) * kw + kj) * ld, ohw);
                    // Output columns ow in [owLo, owHi) read inside the image: 0 <= ow S - P + kj < W.
                    int owLo = Math.Clamp(CeilDiv(p - kj, s), 0, ow);
                    int owHi = Math.Clamp(CeilDiv(w + p - kj, s), owLo, ow);
                    for (int y = 0; y < oh; y++)
                    {
                        Span<float> dst = row.Slice(y * ow, ow);
                        int iy = y * s - p + ki;
                        if ((uint)iy >= (uint)h) { dst.Clear(); continue; }
                        dst[..owLo].Clear();
                        dst[owHi..].Clear();
                        ReadOnlySpan<float> src = plane.Slice(iy * w, w);
                        int ix0 = owLo * s - p + kj;
                        if (s == 1) src.Slice(ix0, owHi - owLo).CopyTo(dst[owLo..owHi]);
                        else
                            for (int x = owLo, ix = ix0; x < owHi; x++, ix += s) dst[x] = src[ix];
                    }
                }
        }
    }

    /// <summary>Adds col (C KH KW, OH OW), rows ld floats apart, back into one image (C, H, W): image += col2im(col).
    /// col is scratch: the fast path zeroes the entries that fall outside the image.</summary>
    public static void Col2ImAdd(Span<float> col, in ConvShape g, Span<float> image, int ld)
    {
        if (Tiles(g)) { Col2ImPhases(col, g, image, ld); return; }
        int c = g.ImageChannels, h = g.ImageHeight, w = g.ImageWidth;
        int kh = g.KernelHeight, kw = g.KernelWidth, s = g.Stride, p = g.Padding;
        int oh = g.ColHeight, ow = g.ColWidth, ohw = oh * ow;
        for (int ci = 0; ci < c; ci++)
        {
            Span<float> plane = image.Slice(ci * h * w, h * w);
            for (int ki = 0; ki < kh; ki++)
                for (int kj = 0; kj < kw; kj++)
                {
                    ReadOnlySpan<float> row = col.Slice(((ci * kh + ki) * kw + kj) * ld, ohw);
                    int owLo = Math.Clamp(CeilDiv(p - kj, s), 0, ow);
                    int owHi = Math.Clamp(CeilDiv(w + p - kj, s), owLo, ow);
                    for (int y = 0; y < oh; y++)
                    {
                        int iy = y * s - p + ki;
                        if ((uint)iy >= (uint)h) continue;
                        ReadOnlySpan<float> src = row.Slice(y * ow, ow);
                        Span<float> dst = plane.Slice(iy * w, w);
                        int ix0 = owLo * s - p + kj;
                        if (s == 1) System.Numerics.Tensors.TensorPrimitives.Add(dst.Slice(ix0, owHi - owLo), src[owLo..owHi], dst.Slice(ix0, owHi - owLo));
                        else
                            for (int x = owLo, ix = ix0; x < owHi; x++, ix += s) dst[ix] += src[x];
                    }
                }
        }
    }

    [ThreadStatic] private static float[]? t_phases;

    /// <summary>True when the column grid tiles the image exactly (OH S = H, OW S = W) and the shifts stay inside a plane.</summary>
    private static bool Tiles(in ConvShape g) =>
        g.ColHeight * g.Stride == g.ImageHeight && g.ColWidth * g.Stride == g.ImageWidth
        && g.Padding < g.ColHeight * g.Stride && g.Padding < g.ColWidth * g.Stride
        && g.KernelHeight - g.Padding <= g.ColHeight * g.Stride && g.KernelWidth - g.Padding <= g.ColWidth * g.Stride;

    private static Span<float> Phases(int length)
    {
        float[]? a = t_phases;
        if (a is null || a.Length < length) t_phases = a = new float[Math.Max(length, 1024)];
        return a.AsSpan(0, length);
    }

    /// <summary>kernel offset k - P = S q + a with 0 &lt;= a &lt; S: the phase a and the shift q.</summary>
    private static (int Phase, int Shift) Split(int k, int p, int s)
    {
        int r = k - p, a = ((r % s) + s) % s;
        return (a, (r - a) / s);
    }

    private static void Im2ColPhases(ReadOnlySpan<float> image, in ConvShape g, Span<float> col, int ld)
    {
        int c = g.ImageChannels, h = g.ImageHeight, w = g.ImageWidth, s = g.Stride, p = g.Padding;
        int kh = g.KernelHeight, kw = g.KernelWidth, oh = g.ColHeight, ow = g.ColWidth, ohw = oh * ow;
        Span<float> phases = s == 1 ? default : Phases(h * w);
        for (int ci = 0; ci < c; ci++)
        {
            ReadOnlySpan<float> plane = image.Slice(ci * h * w, h * w);
            if (s == 2) SplitPhases2(plane, phases, oh, ow);
            else if (s > 2)
                for (int a = 0; a < s; a++)
                    for (int b = 0; b < s; b++)
                    {
                        Span<float> ph = phases.Slice((a * s + b) * ohw, ohw);
                        for (int i = 0; i < oh; i++)
                        {
                            ReadOnlySpan<float> src = plane.Slice((i * s + a) * w + b);
                            Span<float> dst = ph.Slice(i * ow, ow);
                            for (int j = 0; j < ow; j++) dst[j] = src[j * s];
                        }
                    }
            for (int ki = 0; ki < kh; ki++)
            {
                (int a, int qh) = Split(ki, p, s);
                for (int kj = 0; kj < kw; kj++)
                {
                    (int b, int qw) = Split(kj, p, s);
                    ReadOnlySpan<float> src = s == 1 ? plane : phases.Slice((a * s + b) * ohw, ohw);
                    ShiftCopy(src, col.Slice(((ci * kh + ki) * kw + kj) * ld, ohw), oh, ow, qh, qw);
                }
            }
        }
    }

    private static void Col2ImPhases(Span<float> col, in ConvShape g, Span<float> image, int ld)
    {
        int c = g.ImageChannels, h = g.ImageHeight, w = g.ImageWidth, s = g.Stride, p = g.Padding;
        int kh = g.KernelHeight, kw = g.KernelWidth, oh = g.ColHeight, ow = g.ColWidth, ohw = oh * ow;
        Span<float> phases = s == 1 ? default : Phases(h * w);
        for (int ci = 0; ci < c; ci++)
        {
            Span<float> plane = image.Slice(ci * h * w, h * w);
            if (s > 1) phases.Clear();
            for (int ki = 0; ki < kh; ki++)
            {
                (int a, int qh) = Split(ki, p, s);
                for (int kj = 0; kj < kw; kj++)
                {
                    (int b, int qw) = Split(kj, p, s);
                    Span<float> dst = s == 1 ? plane : phases.Slice((a * s + b) * ohw, ohw);
                    ShiftAdd(col.Slice(((ci * kh + ki) * kw + kj) * ld, ohw), dst, oh, ow, qh, qw);
                }
            }
            if (s == 2) MergePhasesAdd2(phases, plane, oh, ow);
            else if (s > 2)
                for (int a = 0; a < s; a++)
                    for (int b = 0; b < s; b++)
                    {
                        ReadOnlySpan<float> ph = phases.Slice((a * s + b) * ohw, ohw);
                        for (int i = 0; i < oh; i++)
                        {
                            Span<float> dst = plane.Slice((i * s + a) * w + b);
                            ReadOnlySpan<float> src = ph.Slice(i * ow, ow);
                            for (int j = 0; j < ow; j++) dst[j * s] += src[j];
                        }
                    }
        }
    }

    /// <summary>dst (H, W)[y, x] = src (H, W)[y + qh, x + qw], 0 outside; |qh| &lt;= H, |qw| &lt;= W. One contiguous copy
    /// plus the border entries written one by one (rows of a few floats: span calls would cost more than the copy).</summary>
    private static unsafe void ShiftCopy(ReadOnlySpan<float> src, Span<float> dst, int h, int w, int qh, int qw)
    {
        int y0 = Math.Max(0, -qh), y1 = Math.Min(h, h - qh);
        int start = y0 * w + Math.Max(0, -qw), end = y1 * w - Math.Max(0, qw);
        if (y0 >= y1 || start >= end || Math.Abs(qw) >= w) { dst.Clear(); return; }
        int len = h * w, from = start + qh * w + qw;
        if ((uint)len > (uint)dst.Length || from < 0 || from + end - start > src.Length)
            throw new ArgumentException("ShiftCopy: spans too short for the plane.");
        fixed (float* ps = src, pd = dst)
        {
            for (int i = 0; i < start; i++) pd[i] = 0f;
            for (int i = end; i < len; i++) pd[i] = 0f;
            Buffer.MemoryCopy(ps + from, pd + start, (long)(len - start) * sizeof(float), (long)(end - start) * sizeof(float));
            if (qw > 0)
                for (int y = y0; y < y1; y++) for (int t = y * w + w - qw; t < y * w + w; t++) pd[t] = 0f;
            else if (qw < 0)
                for (int y = y0; y < y1; y++) for (int t = y * w; t < y * w - qw; t++) pd[t] = 0f;
        }
    }

    /// <summary>dst[y + qh, x + qw] += src[y, x] where inside; src's entries that fall outside are zeroed first.</summary>
    private static unsafe void ShiftAdd(Span<float> src, Span<float> dst, int h, int w, int qh, int qw)
    {
        int y0 = Math.Max(0, -qh), y1 = Math.Min(h, h - qh);
        int start = y0 * w + Math.Max(0, -qw), end = y1 * w - Math.Max(0, qw);
        if (y0 >= y1 || start >= end || Math.Abs(qw) >= w) return;
        int to = start + qh * w + qw;
        if (end > src.Length || to < 0 || to + end - start > dst.Length)
            throw new ArgumentException("ShiftAdd: spans too short for the plane.");
        fixed (float* ps = src, pd = dst)
        {
            if (qw > 0)
                for (int y = y0; y < y1; y++) for (int t = y * w + w - qw; t < y * w + w; t++) ps[t] = 0f;
            else if (qw < 0)
                for (int y = y0; y < y1; y++) for (int t = y * w; t < y * w - qw; t++) ps[t] = 0f;
            AddInPlace(pd + to, ps + start, end - start);
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

    /// <summary>ceil(a / b) for b &gt; 0 and any sign of a.</summary>
    private static int CeilDiv(int a, int b) => a >= 0 ? (a + b - 1) / b : -((-a) / b);
}

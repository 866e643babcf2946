// im2col and col2im for one image (Chellapilla et al. 2006, "High performance convolutional neural networks
// for document processing"; Caffe's im2col_cpu / col2im_cpu).
//
//   col[(c KH + kh) KW + kw, oh OW + ow] = x[c, oh S - P + kh, ow S - P + kw]   (0 outside the image)
//
// image (C, H, W), col (C KH KW, OH OW). col2im is the adjoint: it adds every column entry back into the pixel
// it came from, so overlapping windows accumulate (the input gradient of a convolution, the output of a
// transposed convolution).
//
// Fast path ("phase planes", ConvColumns.Phases.cs), taken when the output tiles the image exactly (OH S = H,
// OW S = W: stride 1 with "same" padding, or stride S with H, W multiples of S, as in every layer of the ConvVAE and
// the DCGAN): split each channel into S x S phase planes P_ab[i, j] = x[i S + a, j S + b] of size (OH, OW). With
// kh - P = S qh + a and kw - P = S qw + b, column row (c, kh, kw) is P_ab shifted by (qh, qw). The planes are kept
// with a zero border wide enough for every shift, so each row of a column row is one unmasked vector copy from its
// plane (and col2im one vector add into it), instead of OH short (or strided) copies with bounds per entry.
namespace Latent.Tensors.Kernels;

internal static partial class ConvColumns
{
    /// <summary>Unfolds one image (C, H, W) into col (C KH KW, OH OW), whose rows start ld floats apart (ld &gt;= OH OW:
    /// several images side by side in one column matrix, each at its own column offset).</summary>
    public static void Im2Col(ReadOnlySpan<float> image, in ConvShape g, Span<float> col, int ld)
    {
        if (Tiles(g)) Im2ColPhases(image, g, col, ld);
        else Im2ColDirect(image, g, col, ld);
    }

    /// <summary>Im2Col without the phase planes: row by row, any geometry (the tests' oracle for the fast path).</summary>
    internal static void Im2ColDirect(ReadOnlySpan<float> image, in ConvShape g, Span<float> col, int ld)
    {
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

    /// <summary>Adds col (C KH KW, OH OW), rows ld floats apart, back into one image (C, H, W): image += col2im(col).</summary>
    public static void Col2ImAdd(ReadOnlySpan<float> col, in ConvShape g, Span<float> image, int ld)
    {
        if (Tiles(g)) Col2ImPhases(col, g, image, ld);
        else Col2ImAddDirect(col, g, image, ld);
    }

    /// <summary>Col2ImAdd without the phase planes: row by row, any geometry (the tests' oracle for the fast path).</summary>
    internal static void Col2ImAddDirect(ReadOnlySpan<float> col, in ConvShape g, Span<float> image, int ld)
    {
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

    /// <summary>True when the column grid tiles the image exactly (OH S = H, OW S = W) and the shifts stay inside a plane.</summary>
    private static bool Tiles(in ConvShape g) =>
        g.ColHeight * g.Stride == g.ImageHeight && g.ColWidth * g.Stride == g.ImageWidth
        && g.Padding < g.ColHeight * g.Stride && g.Padding < g.ColWidth * g.Stride
        && g.KernelHeight - g.Padding <= g.ColHeight * g.Stride && g.KernelWidth - g.Padding <= g.ColWidth * g.Stride;

    /// <summary>ceil(a / b) for b &gt; 0 and any sign of a.</summary>
    private static int CeilDiv(int a, int b) => a >= 0 ? (a + b - 1) / b : -((-a) / b);
}

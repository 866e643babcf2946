// im2col and col2im for one image (Chellapilla et al. 2006, "High performance convolutional neural networks
// for document processing"; Caffe's im2col_cpu / col2im_cpu).
//
//   col[(c KH + kh) KW + kw, oh OW + ow] = x[c, oh S - P + kh, ow S - P + kw]   (0 outside the image)
//
// image (C, H, W), col (C KH KW, OH OW). col2im is the adjoint: it adds every column entry back into the pixel
// it came from, so overlapping windows accumulate (the input gradient of a convolution, the output of a
// transposed convolution).
namespace Latent.Tensors.Kernels;

internal static class ConvColumns
{
    /// <summary>Unfolds one image (C, H, W) into col (C KH KW, OH OW).</summary>
    public static void Im2Col(ReadOnlySpan<float> image, in ConvShape g, Span<float> col)
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
                    Span<float> row = col.Slice(((ci * kh + ki) * kw + kj) * ohw, ohw);
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

    /// <summary>Adds col (C KH KW, OH OW) back into one image (C, H, W): image += col2im(col).</summary>
    public static void Col2ImAdd(ReadOnlySpan<float> col, in ConvShape g, Span<float> image)
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
                    ReadOnlySpan<float> row = col.Slice(((ci * kh + ki) * kw + kj) * ohw, ohw);
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

    /// <summary>ceil(a / b) for b &gt; 0 and any sign of a.</summary>
    private static int CeilDiv(int a, int b) => a >= 0 ? (a + b - 1) / b : -((-a) / b);
}

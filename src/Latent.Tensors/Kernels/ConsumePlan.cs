// The geometry of one ConvConsume call: the zero-bordered image buffer, the contraction offsets, the pixel tiles, the
// K slices, the packed weights and the transposed store. Shapes (Ci image channels, M output channels of the product,
// M16 = M rounded up to 16):
//   pad      (nb, Ci, Rows, Pitch)  img_n at row Top + i, column Left + j (Top = Left = P), zeros elsewhere
//   offs     (Ci KK)                offs[(c KH + kh) KW + kw] = c Rows Pitch + kh Pitch + kw
//   pixels   (nb OHW)               pixel (j, oh, ow) reads from pad + j PadImage + S oh Pitch + S ow
//   packed   (Ci KK, M16)           per K slice [p0, p0 + kc) and 16-channel panel q: packed[p0 M16 + q kc 16 + (p - p0) 16 + i] = W[16 q + i, p]
//   T        (pixel rows, M16)      the tiles' result, T[pixel, m]
//   U        (M16, nb OHW rounded to 8)  T transposed, then out_j[m, :] (= b[m] + | +=) U[m, j OHW ..]
using System.Numerics.Tensors;
using System.Runtime.Intrinsics.X86;

namespace Latent.Tensors.Kernels;

internal sealed unsafe class ConsumePlan
{
    private const int SliceSteps = 320;
    private const int TilePixels = ConvConsumeAvx2.Rows, TileChannels = ConvConsumeAvx2.Cols;

    private readonly int _m, _m16, _ci, _h, _w, _ohw, _kk, _pitch, _chanLen, _padImage, _ldU, _tRows;
    private readonly (int P0, int Kc)[] _slices;

    public ConsumePlan(in ConvShape g)
    {
        _m = g.Transposed ? g.InChannels : g.OutChannels;
        _m16 = (_m + TileChannels - 1) / TileChannels * TileChannels;
        _ci = g.ImageChannels; _h = g.ImageHeight; _w = g.ImageWidth;
        int s = g.Stride, p = g.Padding, kh = g.KernelHeight, kw = g.KernelWidth, oh = g.ColHeight, ow = g.ColWidth;
        _ohw = oh * ow;
        _kk = kh * kw;
        int rows = Math.Max(p + _h, s * (oh - 1) + kh);                       // every row a window reads, from the top
        _pitch = Math.Max(p + _w, s * (ow - 1) + kw);
        _chanLen = rows * _pitch;
        _padImage = _ci * _chanLen;
        ImageLength = _ci * _h * _w;
        OutLength = _m * _ohw;
        Top = p;
        // Images per group: about 144 pixels or more (e4's 7 x 7: three images), the bordered buffer at most 256 KB.
        Group = Math.Clamp((144 + _ohw - 1) / _ohw, 1, Math.Max(1, 65_536 / _padImage));
        int pixels = Group * _ohw, blocks = (pixels + TilePixels - 1) / TilePixels;
        _ldU = (pixels + 7) & ~7;
        _tRows = Math.Max(blocks * TilePixels, _ldU);
        PixelOffsets = new int[blocks * TilePixels];                     // the padding entries read pixel 0 (unused rows)
        for (int i = 0; i < pixels; i++)
        {
            int j = i / _ohw, o = i % _ohw;
            PixelOffsets[i] = j * _padImage + s * (o / ow) * _pitch + s * (o % ow);
        }
        Offs = new int[_ci * _kk];
        for (int c = 0; c < _ci; c++)
            for (int i = 0; i < kh; i++)
                for (int j = 0; j < kw; j++) Offs[(c * kh + i) * kw + j] = c * _chanLen + i * _pitch + j;
        // K slices of whole channels, balanced, each at most SliceSteps steps (or one channel).
        int perSlice = Math.Max(1, SliceSteps / _kk), count = (_ci + perSlice - 1) / perSlice;
        perSlice = (_ci + count - 1) / count;
        _slices = new (int, int)[count];
        for (int i = 0; i < count; i++) _slices[i] = (i * perSlice * _kk, Math.Min(perSlice, _ci - i * perSlice) * _kk);
    }

    /// <summary>Images per group (one bordered buffer, one T).</summary>
    public int Group { get; }

    /// <summary>Zero rows (and columns) before the image in the bordered buffer: the padding P.</summary>
    public int Top { get; }

    /// <summary>Floats of one image on the image side (Ci H W) and of one output (M OHW).</summary>
    public int ImageLength { get; }

    /// <summary>Floats of one output image, M OHW.</summary>
    public int OutLength { get; }

    /// <summary>Contraction offsets, see the file header.</summary>
    public int[] Offs { get; }

    /// <summary>Where each pixel of a group reads in the bordered buffer (padded to whole tiles).</summary>
    public int[] PixelOffsets { get; }

    /// <summary>Floats of the bordered buffer of a group, with slack.</summary>
    public int PadLength => Group * _padImage + 8;

    /// <summary>Floats of the packed W^T.</summary>
    public int PackedLength => _ci * _kk * _m16;

    /// <summary>Floats of T.</summary>
    public int TLength => _tRows * _m16;

    /// <summary>Floats of U.</summary>
    public int ULength => _m16 * _ldU;

    /// <summary>Packs W (M, Ci KK) into the 16-channel panels of W^T per K slice (channels past M zero).</summary>
    public void PackWeights(ReadOnlySpan<float> w, Span<float> packed)
    {
        int k = _ci * _kk;
        foreach (var (p0, kc) in _slices)
            for (int q = 0; q < _m16 / TileChannels; q++)
            {
                Span<float> panel = packed.Slice(p0 * _m16 + q * kc * TileChannels, kc * TileChannels);
                for (int p = 0; p < kc; p++)
                    for (int i = 0; i < TileChannels; i++)
                    {
                        int m = q * TileChannels + i;
                        panel[p * TileChannels + i] = m < _m ? w[m * k + p0 + p] : 0f;
                    }
            }
    }

    /// <summary>Copies nb images (Ci, H, W) into the data region of the bordered buffer (its borders are zero and stay so).</summary>
    public void Pad(float* img, int nb, float* pad)
    {
        for (int j = 0; j < nb; j++)
            for (int c = 0; c < _ci; c++)
            {
                float* src = img + (long)j * ImageLength + (long)c * _h * _w, dst = pad + (long)j * _padImage + c * _chanLen + Top * _pitch + Top;
                for (int r = 0; r < _h; r++) CopyRow(src + r * _w, dst + r * _pitch, _w);
            }
    }

    // dst[0 .. n) = src[0 .. n) by vectors.
    private static void CopyRow(float* src, float* dst, int n)
    {
        int j = 0;
        for (; j + 8 <= n; j += 8) Avx.Store(dst + j, Avx.LoadVector256(src + j));
        if (j + 4 <= n) { Sse.Store(dst + j, Sse.LoadVector128(src + j)); j += 4; }
        for (; j < n; j++) dst[j] = src[j];
    }

    /// <summary>T (pixels, M16) = the product for the nb images of the group in the bordered buffer.</summary>
    public void Tiles(float* packed, int* offs, int* pix, float* pad, int nb, float* t)
    {
        int blocks = (nb * _ohw + TilePixels - 1) / TilePixels;
        float** xs = stackalloc float*[TilePixels];
        float** ds = stackalloc float*[TilePixels];
        for (int sl = 0; sl < _slices.Length; sl++)
        {
            var (p0, kc) = _slices[sl];
            for (int q = 0; q < _m16 / TileChannels; q++)
            {
                float* b = packed + (long)p0 * _m16 + q * kc * TileChannels;
                for (int blk = 0; blk < blocks; blk++)
                {
                    for (int i = 0; i < TilePixels; i++)
                    {
                        int r = blk * TilePixels + i;
                        xs[i] = pad + pix[r];
                        ds[i] = t + (long)r * _m16 + q * TileChannels;
                    }
                    ConvConsumeAvx2.Tile(kc, offs + p0, b, xs, ds, sl > 0);
                }
            }
        }
    }

    /// <summary>out_j (M, OHW) (= T^T + bias | += T^T) for the nb images of the group, through U (M16, LdU).</summary>
    public void Store(float* t, float* u, int nb, float* outp, bool accumulate, float* bias)
    {
        int p8 = (nb * _ohw + 7) & ~7;
        for (int pb = 0; pb < p8; pb += 8)
            for (int mb = 0; mb < _m16; mb += 8) GemmTranspose.Block8x8(t + (long)pb * _m16 + mb, _m16, u + (long)mb * _ldU + pb, _ldU);
        for (int j = 0; j < nb; j++)
            for (int m = 0; m < _m; m++)
            {
                var src = new ReadOnlySpan<float>(u + (long)m * _ldU + j * _ohw, _ohw);
                var dst = new Span<float>(outp + (long)j * OutLength + m * _ohw, _ohw);
                if (accumulate) TensorPrimitives.Add(dst, src, dst);
                else if (bias != null) TensorPrimitives.Add(src, bias[m], dst);
                else src.CopyTo(dst);
            }
    }
}

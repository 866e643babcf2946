// The weight gradient on the consume plan's geometry, with the roles of the tile's operands swapped:
//
//   dW^T (Ci KK, M) += col (Ci KK, pixels) col_side^T (pixels, M),  col[(c, kh, kw), pixel] = pad[Offs[(c, kh, kw)] + Read[pixel]]
//
// (conv: col side = dY (F, OH, OW), image = x; convT: col side = x (C, H, W), image = dY). A tile is 6 taps x 16 channels:
// the six broadcast pointers are the taps' offsets into the bordered image, the contraction runs over the group's
// pixels (their bases, Read, are the offsets table), and the 16-wide rows are the column side transposed per group into
// Bt (one panel per 16 channels: Bt[q][pixel, i] = col_side[j, 16 q + i, o]). The tiles add into Acc (Ci KK + 1, M16),
// which is transposed into the (M, Ci KK) partial of the thread's part at the end.
using System.Runtime.Intrinsics.X86;

namespace Latent.Tensors.Kernels;

internal sealed unsafe partial class PixelTilePlan
{
    /// <summary>Floats of the transposed column side of a group, all panels.</summary>
    public int BtLength => _v16 * Group * _writePixels;

    /// <summary>Floats of the weight-gradient accumulator (Ci KK rows rounded up to whole tiles, plus a spare row).</summary>
    public int AccLength => (((_phases[0].Offs.Length + TilePixels - 1) / TilePixels * TilePixels) + 1) * _v16;

    /// <summary>Bt panels = the column side (nb, M, OHW) of the group transposed; channels past M are left as they are
    /// (zero in a buffer cleared once).</summary>
    public void TransposeColumns(float* col, int nb, float* bt)
    {
        int ohw = _writePixels, panel = Group * ohw * TileChannels, full = ohw & ~7;
        for (int j = 0; j < nb; j++)
            for (int m0 = 0; m0 < _v; m0 += 8)
            {
                float* src = col + ((long)j * _v + m0) * ohw, dst = bt + (m0 / TileChannels) * panel + (long)j * ohw * TileChannels + m0 % TileChannels;
                int rows = Math.Min(8, _v - m0), o = 0;
                if (rows == 8 && Avx.IsSupported)
                    for (; o < full; o += 8) GemmTranspose.Block8x8(src + o, ohw, dst + o * TileChannels, TileChannels);
                for (; o < ohw; o++)
                    for (int i = 0; i < rows; i++) dst[o * TileChannels + i] = src[i * ohw + o];
            }
    }

    /// <summary>Acc (Ci KK, M16) += the group's products: 6 taps x 16 channels per tile over the nb OHW pixels.</summary>
    public void WeightTiles(float* bt, float* pad, int nb, float* acc)
    {
        Phase ph = _phases[0];
        int rows = ph.Offs.Length, blocks = (rows + TilePixels - 1) / TilePixels, steps = nb * _writePixels, panel = Group * _writePixels * TileChannels;
        float** xs = stackalloc float*[TilePixels];
        float** ds = stackalloc float*[TilePixels];
        float* spare = acc + (long)blocks * TilePixels * _v16;
        fixed (int* offs = ph.Offs, read = ph.Read)
            for (int q = 0; q < _v16 / TileChannels; q++)
                for (int blk = 0; blk < blocks; blk++)
                {
                    for (int i = 0; i < TilePixels; i++)
                    {
                        int r = blk * TilePixels + i;
                        xs[i] = pad + offs[r < rows ? r : 0];
                        ds[i] = (r < rows ? acc + (long)r * _v16 : spare) + q * TileChannels;
                    }
                    ConvPixelTilesAvx2.Tile(steps, read, bt + (long)q * panel, xs, ds, true);
                }
    }

    /// <summary>dW (M, Ci KK) = Acc^T: the accumulator into a part's weight partial.</summary>
    public void WeightsFromAcc(float* acc, Span<float> dW)
    {
        int rows = _phases[0].Offs.Length;
        for (int m = 0; m < _v; m++)
            for (int r = 0; r < rows; r++) dW[m * rows + r] = acc[(long)r * _v16 + m];
    }
}

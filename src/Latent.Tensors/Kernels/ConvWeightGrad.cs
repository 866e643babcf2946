// The weight gradient's GEMM of both convolution kernels, in whichever orientation fills the GEMM's register tiles
// better (chan = F for a convolution, C for a transposed one; rows = C_image KH KW, the column matrix's rows):
//
//   dW (chan, rows)   += Y_g (chan, ld) col^T (ld, rows)               as stored, or
//   dW^T (rows, chan)  = col (rows, ld) Y_g^T (ld, chan),  dW += (dW^T)^T   through a (rows, chan) scratch
//
// The GEMM computes whole MR x NR tiles (6 x 16 AVX2, 8 x 32 AVX-512). The ConvVAE's first and last layers have a
// 32 x 9 weight gradient (32 channels against one channel's 3 x 3 taps): 6 x 16 tiles hold it to 50 % (36 x 16 computed,
// 32 x 9 used), its transpose 9 x 32 to 75 %. Both orientations sum each entry over the same K in the same order of
// K slices, so the choice changes which tile an entry is computed in, not which products are added. It does change the
// last bits (the transposed product is accumulated in a scratch and then added to dW): the ConvVAE trained before and
// after this rule differs in exactly the weights of its transposed layers (bench/results/2026-12-06-issue11-speed.txt).
using System.Buffers;
using static Latent.Tensors.Kernels.GemmBlocking;

namespace Latent.Tensors.Kernels;

internal static class ConvWeightGrad
{
    /// <summary>True when the transposed product (rows, chan) fills the register tiles at least 10 % better than (chan, rows).</summary>
    public static bool Transposed(int chan, int rows) => !AsStored && TileFill(rows, chan) > 1.1 * TileFill(chan, rows);

    /// <summary>Always the product as stored (the conv benchmark times both orientations in one run); false in the product.</summary>
    internal static bool AsStored { get; set; }

    /// <summary>The share of the computed MR x NR tiles' entries that an (m, n) product uses.</summary>
    internal static double TileFill(int m, int n)
    {
        (int mr, int nr) = TileOf(Gemm.BestIsa);
        return m / (double)((m + mr - 1) / mr * mr) * (n / (double)((n + nr - 1) / nr * nr));
    }

    /// <summary>A scratch for <see cref="Accumulate"/> (rows chan floats, rented) when the shape takes the transposed product, else null.</summary>
    public static float[]? RentScratch(int chan, int rows) => Transposed(chan, rows) ? ArrayPool<float>.Shared.Rent(chan * rows) : null;

    /// <summary>dW (chan, rows) += yG (chan, ld) col (rows, ld)^T, on the calling thread; scratch from <see cref="RentScratch"/>.</summary>
    public static void Accumulate(int chan, int rows, int ld, ReadOnlySpan<float> yG, ReadOnlySpan<float> col, Span<float> dW, float[]? scratch)
    {
        if (scratch is null)
        {
            ConvParallel.Gemm1(false, true, chan, rows, ld, 1f, yG, ld, col, ld, 1f, dW, rows);
            return;
        }
        ConvParallel.Gemm1(false, true, rows, chan, ld, 1f, col, ld, yG, ld, 0f, scratch, chan);   // (rows, chan)
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < chan; c++) dW[c * rows + r] += scratch[r * chan + c];
    }
}

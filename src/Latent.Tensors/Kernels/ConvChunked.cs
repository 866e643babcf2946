// The "consume" product of the stride-2 3 x 3 layers with a 14 x 14 (or larger) column side, the ConvVAE's e2 forward
// and d4 input gradient, one image at a time with im2col by column chunks (ConvColumns.Chunks.cs):
//
//   conv   forward  y_n (F, OHW)   = W (F, C KK) col(x_n) + b
//   convT  dX       dX_n (C, HW)  += W (C, F KK) col(dY_n)
//
// For each chunk of ChunkColumns output columns: im2col of that chunk (K x nc floats, in L1 / L2) from the image's phase
// planes (split once per image), then the packed GEMM writes (or adds) its columns of y_n / dX_n in place (ldc = the
// plane size: no group matrix, no scatter). The lowering instead wrote a whole column matrix of two images (451 KB)
// and read it back. Per image, in the batch's fixed partition: the same bits for any thread count.
using System.Buffers;
using System.Numerics.Tensors;

namespace Latent.Tensors.Kernels;

internal static unsafe class ConvChunked
{
    /// <summary>Take the chunked path where it applies (the conv benchmark turns it off to time the lowering in the same
    /// run, the tests to compare both); true in the product.</summary>
    internal static bool Enabled { get; set; } = true;

    /// <summary>Output columns per chunk: four 16-wide register tiles.</summary>
    internal static int ChunkColumns { get; set; } = int.Parse(Environment.GetEnvironmentVariable("LATENT_CHUNK") ?? "64", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>True for a stride-2 3 x 3 layer whose output tiles the image, with several image channels and at least
    /// 128 columns per image (smaller ones, 7 x 7, keep the lowering's groups of images: a lone image's 49 columns fill
    /// 16-wide tiles badly).</summary>
    public static bool Applies(in ConvShape g) =>
        Enabled && g.Stride == 2 && g.KernelHeight == 3 && g.KernelWidth == 3 && g.ImageChannels > 1 && g.ColCols >= 128
        && ConvColumns.PhasesApply(g);

    /// <summary>Conv2d forward (Conv2dKernel.Forward's contract) by chunks.</summary>
    public static void ConvForward(ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> bias, Span<float> y, ConvShape s)
    {
        fixed (float* pb = bias)
            Consume(x, w, y, s, s.OutChannels, 0f, bias.IsEmpty ? null : pb);
    }

    /// <summary>ConvTranspose2d input gradient by chunks: dX (N, C, H, W) += W (C, F KK) col(dY_n).</summary>
    public static void TransposedInputGradient(ReadOnlySpan<float> dY, ReadOnlySpan<float> w, Span<float> dX, ConvShape s) =>
        Consume(dY, w, dX, s, s.InChannels, 1f, null);

    // dst_n (M, cols) = beta dst_n + W (M, K) col(image_n) [+ bias per row], image_n (ImageChannels, ImageHeight, ImageWidth).
    private static void Consume(ReadOnlySpan<float> image, ReadOnlySpan<float> w, Span<float> dst, ConvShape s, int m, float beta, float* bias)
    {
        int k = s.ColRows, cols = s.ColCols, imageLen = s.ImageChannels * s.ImageHeight * s.ImageWidth;
        float[] packed = ConvParallel.PackWeights(false, m, k, w, k);                                     // W (M, K)
        int planesLen = ConvColumns.ImagePlanesLength(s);
        fixed (float* pi = image, pd = dst)
        {
            nint ai = (nint)pi, ad = (nint)pd, ab = (nint)bias;
            ConvParallel.For(s.Batch, (_, lo, hi) =>
            {
                float[] planes = ArrayPool<float>.Shared.Rent(planesLen);
                float[] chunk = ArrayPool<float>.Shared.Rent(k * ChunkColumns + 8);
                for (int n = lo; n < hi; n++)
                {
                    ConvColumns.SplitImage(new ReadOnlySpan<float>((float*)ai + (long)n * imageLen, imageLen), s, planes);
                    var dn = new Span<float>((float*)ad + (long)n * m * cols, m * cols);
                    for (int j0 = 0; j0 < cols; j0 += ChunkColumns)
                    {
                        int nc = Math.Min(ChunkColumns, cols - j0);
                        ConvColumns.Im2ColChunk(planes, s, j0, nc, chunk);
                        ConvParallel.Gemm1Packed(m, nc, k, packed, chunk, nc, beta, dn[j0..], cols);
                    }
                    if (ab == 0) continue;
                    for (int r = 0; r < m; r++)
                    {
                        Span<float> plane = dn.Slice(r * cols, cols);
                        TensorPrimitives.Add(plane, ((float*)ab)[r], plane);
                    }
                }
                ArrayPool<float>.Shared.Return(planes);
                ArrayPool<float>.Shared.Return(chunk);
            });
        }
        ArrayPool<float>.Shared.Return(packed);
    }
}

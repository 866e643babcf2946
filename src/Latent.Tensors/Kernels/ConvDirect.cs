// The weight gradients of the convolutions with one channel on the image side (ConvWindows.Applies: the ConvVAE's
// first conv 1 -> 32 and last convT 32 -> 1, the DCGAN's D conv 1 -> 64 and G convT 64 -> 1), with DirectGemm's dot
// tiles over ConvWindows instead of im2col + the packed GEMM (whose register tile held a 32 x 9 or 64 x 16 result
// to 50-75 %, docs/PERFORMANCE-CONV.md):
//
//   conv   dW (F, KK) += sum_n dY_n (F, OHW) col(x_n)^T         convT  dW (C, KK) += sum_n x_n (C, HW) col(dY_n)^T
//
// images grouped so that a dot covers about DotPixels pixels. The forward and input-gradient passes of these layers
// stay on the lowering: direct versions of them (DirectGemm.Multiply over the windows, one image at a time) ran at
// 61-65 GF/s on one thread in cache (bench conv --breakdown) but slower than the lowering over the whole batch on
// this loaded machine (bench/results/2026-12-06-conv2-layers.txt), so they were dropped. Parallel over the batch with
// ConvParallel's fixed partition, per-part gradients added in part order: reproducible for a given thread count.
using System.Buffers;
using System.Numerics.Tensors;

namespace Latent.Tensors.Kernels;

internal static unsafe class ConvDirect
{
    /// <summary>Take the direct path where it applies (the conv benchmark turns it off to time the lowering in the same
    /// run, the tests to compare both); true in the product.</summary>
    internal static bool Enabled { get; set; } = true;

    /// <summary>True when the convolution runs here: one image channel (ConvWindows.Applies) and <see cref="Enabled"/>.</summary>
    public static bool Applies(in ConvShape g) => Enabled && ConvWindows.Applies(g);

    /// <summary>Pixels of the column side a weight-gradient dot covers per call (images are grouped up to this).</summary>
    private const int DotPixels = 1536;

    /// <summary>The weight and bias gradients of a one-image-channel Conv2d: dW (F, 1, KH, KW) += sum_n dY_n col(x_n)^T,
    /// dB (F) += sum dY (dB may be empty).</summary>
    public static void ConvWeightGradient(ReadOnlySpan<float> x, ReadOnlySpan<float> dY, Span<float> dW, Span<float> dB, ConvShape s) =>
        WeightGradient(x, dY, dW, dB, s, false);

    /// <summary>The weight and bias gradients of a one-output-channel ConvTranspose2d: dW (C, 1, KH, KW) += sum_n
    /// x_n col(dY_n)^T, dB (1) += sum dY (dB may be empty).</summary>
    public static void TransposedWeightGradient(ReadOnlySpan<float> x, ReadOnlySpan<float> dY, Span<float> dW, Span<float> dB, ConvShape s) =>
        WeightGradient(x, dY, dW, dB, s, true);

    // conv: A = dY_n (F, OHW), windows of x_n;  convT: A = x_n (C, HW), windows of dY_n.  chan = F or C, cols = OHW or HW.
    private static void WeightGradient(ReadOnlySpan<float> x, ReadOnlySpan<float> dY, Span<float> dW, Span<float> dB, ConvShape s, bool transposed)
    {
        int chan = transposed ? s.InChannels : s.OutChannels, kk = s.KernelHeight * s.KernelWidth, cols = s.ColCols;
        int imageLen = s.ImageHeight * s.ImageWidth, f = s.OutChannels, yLen = f * s.OutHeight * s.OutWidth;
        int wLen = s.WeightLength, bLen = dB.IsEmpty ? 0 : f, parts = ConvParallel.Parts(s.Batch);
        float[] partials = ArrayPool<float>.Shared.Rent(parts * (wLen + bLen));
        partials.AsSpan(0, parts * (wLen + bLen)).Clear();
        var win = new ConvWindows(s);
        int group = Math.Max(1, DotPixels / cols);
        fixed (float* px = x, pdy = dY, pp = partials)
        {
            nint ax = (nint)px, ady = (nint)pdy, ap = (nint)pp;
            ConvParallel.For(s.Batch, (part, lo, hi) =>
            {
                float* pW = (float*)ap + part * (wLen + bLen), pB = pW + wLen;
                float[] src = ArrayPool<float>.Shared.Rent(win.Length * group);
                float* image = transposed ? (float*)ady : (float*)ax, a = transposed ? (float*)ax : (float*)ady;   // windows of / rows of
                fixed (float* ps = src)
                fixed (int* offs = win.Offs)
                    for (int n0 = lo; n0 < hi; n0 += group)
                    {
                        int nb = Math.Min(group, hi - n0);
                        for (int j = 0; j < nb; j++) win.Build(image + (long)(n0 + j) * imageLen, ps + (long)j * win.Length);
                        DirectGemm.Dot(chan, kk, cols, nb, a + (long)n0 * chan * cols, cols, (long)chan * cols, ps, offs, win.Length, pW, kk);
                        for (int j = 0; j < nb; j++)
                        {
                            float* dy = (float*)ady + (long)(n0 + j) * yLen;
                            for (int o = 0; o < bLen; o++) pB[o] += TensorPrimitives.Sum(new ReadOnlySpan<float>(dy + (long)o * (yLen / f), yLen / f));
                        }
                    }
                ArrayPool<float>.Shared.Return(src);
            });
        }
        ConvChecks.ReducePartials(partials, parts, dW, wLen, dB, bLen);
        ArrayPool<float>.Shared.Return(partials);
    }
}

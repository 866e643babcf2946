// Nearest-neighbour upsampling by an integer factor, NCHW (torch.nn.Upsample(scale_factor=r, mode="nearest")).
//
//   y[n, c, i, j] = x[n, c, i / r, j / r]      y (N, C, H r, W r)
//   backward: dx[n, c, a, b] += sum over the r x r block of dy
using System.Numerics.Tensors;

namespace Latent.Tensors.Kernels;

/// <summary>Span kernels of nearest-neighbour upsampling.</summary>
public static class UpsampleKernel
{
    /// <summary>y (N, C, H r, W r) from x (N, C, H, W); planes = N C.</summary>
    public static void Forward(ReadOnlySpan<float> x, Span<float> y, int planes, int h, int w, int r)
    {
        Check(x.Length, y.Length, planes, h, w, r);
        int ow = w * r;
        for (int p = 0; p < planes; p++)
            for (int i = 0; i < h; i++)
            {
                ReadOnlySpan<float> src = x.Slice((p * h + i) * w, w);
                Span<float> first = y.Slice(((p * h + i) * r) * ow, ow);
                for (int j = 0; j < w; j++) first.Slice(j * r, r).Fill(src[j]);
                for (int t = 1; t < r; t++) first.CopyTo(y.Slice(((p * h + i) * r + t) * ow, ow));
            }
    }

    /// <summary>dX (N, C, H, W) += block sums of dY (N, C, H r, W r).</summary>
    public static void Backward(ReadOnlySpan<float> dY, Span<float> dX, int planes, int h, int w, int r)
    {
        Check(dX.Length, dY.Length, planes, h, w, r);
        int ow = w * r;
        for (int p = 0; p < planes; p++)
            for (int i = 0; i < h; i++)
            {
                Span<float> dst = dX.Slice((p * h + i) * w, w);
                for (int t = 0; t < r; t++)
                {
                    ReadOnlySpan<float> row = dY.Slice(((p * h + i) * r + t) * ow, ow);
                    for (int j = 0; j < w; j++) dst[j] += TensorPrimitives.Sum(row.Slice(j * r, r));
                }
            }
    }

    private static void Check(int xLen, int yLen, int planes, int h, int w, int r)
    {
        if (planes < 1 || h < 1 || w < 1 || r < 1) throw new ArgumentException($"Upsample sizes must be positive, got planes {planes}, {h}x{w}, scale {r}.");
        if (xLen != planes * h * w) throw new ArgumentException($"Upsample: input has {xLen} floats, expected {planes * h * w} ({planes} planes of {h}x{w}).");
        if (yLen != planes * h * w * r * r) throw new ArgumentException($"Upsample: output has {yLen} floats, expected {planes * h * w * r * r}.");
    }
}

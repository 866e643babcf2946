// Max pooling forward/backward, NCHW (torch.nn.MaxPool2d: padding is -infinity, floor output size, dilation 1).
//
//   y[n, c, oh, ow] = max over the K x K window at (oh S - P, ow S - P); argmax[...] = flat index h W + w in the plane
//   backward: dx[n, c, argmax] += dy[n, c, oh, ow]
// Geometry from ConvShape.Conv(N, C, C, H, W, K, K, S, P) (pooling keeps the channels).
namespace Latent.Tensors.Kernels;

/// <summary>Span kernels of 2-D max pooling.</summary>
public static class MaxPool2dKernel
{
    /// <summary>y (N, C, OH, OW) and argmax (N, C, OH, OW), the index within each (H, W) plane that won.</summary>
    public static void Forward(ReadOnlySpan<float> x, Span<float> y, Span<int> argmax, in ConvShape g)
    {
        PoolChecks.Check("MaxPool2d", g, x.Length, y.Length);
        if (argmax.Length != g.OutputLength) throw new ArgumentException($"MaxPool2d: argmax has {argmax.Length} entries, expected {g.OutputLength}.");
        if (g.Padding * 2 > g.KernelHeight) throw new ArgumentException($"MaxPool2d: padding {g.Padding} must be at most half the kernel size {g.KernelHeight}.");
        int h = g.InHeight, w = g.InWidth, oh = g.OutHeight, ow = g.OutWidth, k = g.KernelHeight, s = g.Stride, p = g.Padding;
        for (int plane = 0; plane < g.Batch * g.InChannels; plane++)
        {
            ReadOnlySpan<float> xp = x.Slice(plane * h * w, h * w);
            int o = plane * oh * ow;
            for (int i = 0; i < oh; i++)
                for (int j = 0; j < ow; j++)
                {
                    float best = float.NegativeInfinity; int at = -1;
                    for (int a = Math.Max(0, i * s - p); a < Math.Min(h, i * s - p + k); a++)
                        for (int b = Math.Max(0, j * s - p); b < Math.Min(w, j * s - p + k); b++)
                        {
                            float v = xp[a * w + b];
                            if (v > best || at < 0 || float.IsNaN(v)) { best = v; at = a * w + b; }
                        }
                    y[o + i * ow + j] = best; argmax[o + i * ow + j] = at;
                }
        }
    }

    /// <summary>dX (N, C, H, W) += dY routed to each window's argmax.</summary>
    public static void Backward(ReadOnlySpan<float> dY, ReadOnlySpan<int> argmax, Span<float> dX, in ConvShape g)
    {
        PoolChecks.Check("MaxPool2d", g, dX.Length, dY.Length);
        int hw = g.InHeight * g.InWidth, ohw = g.OutHeight * g.OutWidth;
        for (int plane = 0; plane < g.Batch * g.InChannels; plane++)
            for (int t = 0; t < ohw; t++) dX[plane * hw + argmax[plane * ohw + t]] += dY[plane * ohw + t];
    }
}

// Average pooling forward/backward, NCHW (torch.nn.AvgPool2d defaults: count_include_pad = True, floor output size,
// so every window divides by K K, zero padding included).
//
//   y[n, c, oh, ow] = sum over the K x K window at (oh S - P, ow S - P) of x / (K K)
//   backward: dx[n, c, window] += dy[n, c, oh, ow] / (K K)
namespace Latent.Tensors.Kernels;

/// <summary>Span kernels of 2-D average pooling.</summary>
public static class AvgPool2dKernel
{
    /// <summary>y (N, C, OH, OW) = window means of x (N, C, H, W).</summary>
    public static void Forward(ReadOnlySpan<float> x, Span<float> y, in ConvShape g)
    {
        PoolChecks.Check("AvgPool2d", g, x.Length, y.Length);
        int h = g.InHeight, w = g.InWidth, oh = g.OutHeight, ow = g.OutWidth, k = g.KernelHeight, s = g.Stride, p = g.Padding;
        float inv = 1f / (k * g.KernelWidth);
        for (int plane = 0; plane < g.Batch * g.InChannels; plane++)
        {
            ReadOnlySpan<float> xp = x.Slice(plane * h * w, h * w);
            for (int i = 0; i < oh; i++)
                for (int j = 0; j < ow; j++)
                {
                    float sum = 0;
                    for (int a = Math.Max(0, i * s - p); a < Math.Min(h, i * s - p + k); a++)
                        for (int b = Math.Max(0, j * s - p); b < Math.Min(w, j * s - p + g.KernelWidth); b++) sum += xp[a * w + b];
                    y[plane * oh * ow + i * ow + j] = sum * inv;
                }
        }
    }

    /// <summary>dX (N, C, H, W) += dY spread evenly over each window.</summary>
    public static void Backward(ReadOnlySpan<float> dY, Span<float> dX, in ConvShape g)
    {
        PoolChecks.Check("AvgPool2d", g, dX.Length, dY.Length);
        int h = g.InHeight, w = g.InWidth, oh = g.OutHeight, ow = g.OutWidth, k = g.KernelHeight, s = g.Stride, p = g.Padding;
        float inv = 1f / (k * g.KernelWidth);
        for (int plane = 0; plane < g.Batch * g.InChannels; plane++)
        {
            Span<float> xp = dX.Slice(plane * h * w, h * w);
            for (int i = 0; i < oh; i++)
                for (int j = 0; j < ow; j++)
                {
                    float d = dY[plane * oh * ow + i * ow + j] * inv;
                    for (int a = Math.Max(0, i * s - p); a < Math.Min(h, i * s - p + k); a++)
                        for (int b = Math.Max(0, j * s - p); b < Math.Min(w, j * s - p + g.KernelWidth); b++) xp[a * w + b] += d;
                }
        }
    }
}

// Squeeze (Dinh et al. 2017, sec. 3.6): every 2 x 2 block of pixels becomes 4 channels, a permutation (log-det 0).
//   squeeze   x (N, C, H, W) -> y (N, 4C, H/2, W/2),  y[n, 4c + 2 dy + dx, i, j] = x[n, c, 2i + dy, 2j + dx]
//   unsqueeze its inverse. The span kernels are one permutation read two ways; each op's backward is the other.
using Latent.Tensors;

namespace Latent.Models.Flows;

/// <summary>Squeeze (Dinh et al. 2017, sec. 3.6): every 2 x 2 block of pixels becomes 4 channels, a permutation (log-det 0).</summary>
public static class Squeeze
{
    /// <summary>Moves x (N, C, H, W) into y (N, 4C, H/2, W/2) (toBlocks) or back (y into x); H, W even.</summary>
    public static void Permute(Span<float> x, Span<float> y, int n, int c, int h, int w, bool toBlocks)
    {
        if (h % 2 != 0 || w % 2 != 0 || x.Length != n * c * h * w || y.Length != x.Length)
            throw new ArgumentException($"squeeze needs even H and W and equal buffers; got ({n}, {c}, {h}, {w}) with {x.Length} and {y.Length} values.");
        int h2 = h / 2, w2 = w / 2;
        for (int b = 0; b < n; b++)
            for (int ch = 0; ch < c; ch++)
                for (int i = 0; i < h; i++)
                    for (int j = 0; j < w; j++)
                    {
                        int xi = ((b * c + ch) * h + i) * w + j;
                        int yi = ((b * 4 * c + 4 * ch + 2 * (i % 2) + j % 2) * h2 + i / 2) * w2 + j / 2;
                        if (toBlocks) y[yi] = x[xi];
                        else x[xi] = y[yi];
                    }
    }

    /// <summary>(N, C, H, W) -> (N, 4C, H/2, W/2).</summary>
    public static Tensor Forward(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        int n = x.Dim(0), c = x.Dim(1), h = x.Dim(2), w = x.Dim(3);
        Tensor y = Tensor.Uninitialized(n, 4 * c, h / 2, w / 2);
        Permute(x.Data, y.Data, n, c, h, w, toBlocks: true);
        return Tensor.Record("squeeze", y, [x], static y =>
        {
            Tensor x = y.Inputs[0];
            var g = new float[y.Length];
            Permute(g, y.Grad!.Data, x.Dim(0), x.Dim(1), x.Dim(2), x.Dim(3), toBlocks: false);
            Span<float> dx = x.EnsureGrad();
            for (int i = 0; i < g.Length; i++) dx[i] += g[i];
        });
    }

    /// <summary>(N, 4C, H/2, W/2) -> (N, C, H, W).</summary>
    public static Tensor Inverse(Tensor y)
    {
        ArgumentNullException.ThrowIfNull(y);
        int n = y.Dim(0), c = y.Dim(1) / 4, h = 2 * y.Dim(2), w = 2 * y.Dim(3);
        if (y.Dim(1) % 4 != 0) throw new ArgumentException($"unsqueeze needs a multiple of 4 channels, got {y.Dim(1)}.");
        Tensor x = Tensor.Uninitialized(n, c, h, w);
        Permute(x.Data, y.Data, n, c, h, w, toBlocks: false);
        return Tensor.Record("unsqueeze", x, [y], static x =>
        {
            Tensor y = x.Inputs[0];
            var g = new float[x.Length];
            Permute(x.Grad!.Data, g, x.Dim(0), x.Dim(1), x.Dim(2), x.Dim(3), toBlocks: true);
            Span<float> dy = y.EnsureGrad();
            for (int i = 0; i < g.Length; i++) dy[i] += g[i];
        });
    }
}

// The Sobel derivatives of one image plane (zero outside it), shared by the oriented EMD's structure tensor
// (OrientedMass) and the image distortion model's gradient contexts (DeformationDistance):
//   gx[r, c] = (m[r-1, c+1] - m[r-1, c-1]) + 2 (m[r, c+1] - m[r, c-1]) + (m[r+1, c+1] - m[r+1, c-1])
//   gy[r, c] = (m[r+1, c-1] - m[r-1, c-1]) + 2 (m[r+1, c] - m[r-1, c]) + (m[r+1, c+1] - m[r-1, c+1])
// Differences first, so that a flat neighbourhood gives exactly zero.
namespace Latent.Models.Classical;

/// <summary>The Sobel derivatives of one image plane, zero outside it.</summary>
public static class Sobel
{
    /// <summary>m (H, W) -> gx, gy written at out[offset + r stride + c] for r &lt; H, c &lt; W (other entries untouched), so
    /// the result can land inside a padded plane; stride 0 means W.</summary>
    public static void Gradients(ReadOnlySpan<float> m, int h, int w, Span<float> gx, Span<float> gy, int stride = 0, int offset = 0)
    {
        if (stride == 0) stride = w;
        if (m.Length < h * w || stride < w || offset < 0 || Math.Min(gx.Length, gy.Length) < offset + (h - 1) * stride + w)
            throw new ArgumentException($"Sobel gradients of a {h} x {w} plane: {m.Length} values and outputs of {gx.Length}, {gy.Length} floats (stride {stride}, offset {offset}) do not fit.");
        for (int r = 0; r < h; r++)
            for (int c = 0; c < w; c++)
            {
                int o = offset + r * stride + c;
                gx[o] = At(m, h, w, r - 1, c + 1) - At(m, h, w, r - 1, c - 1) + 2 * (At(m, h, w, r, c + 1) - At(m, h, w, r, c - 1))
                    + (At(m, h, w, r + 1, c + 1) - At(m, h, w, r + 1, c - 1));
                gy[o] = At(m, h, w, r + 1, c - 1) - At(m, h, w, r - 1, c - 1) + 2 * (At(m, h, w, r + 1, c) - At(m, h, w, r - 1, c))
                    + (At(m, h, w, r + 1, c + 1) - At(m, h, w, r - 1, c + 1));
            }
    }

    private static float At(ReadOnlySpan<float> m, int h, int w, int r, int c) => (uint)r < (uint)h && (uint)c < (uint)w ? m[r * w + c] : 0f;
}

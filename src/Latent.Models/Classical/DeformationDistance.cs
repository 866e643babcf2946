// The image distortion model (IDM; Keysers, Deselaers, Gollan and Ney, "Deformation models for image recognition",
// PAMI 2007): a zero-order deformation of the reference image b in which every pixel of a may be matched to any pixel
// of b within a (2 W + 1)^2 window (the warp range W), each pixel compared by its local context, the (2 C + 1)^2
// patch around it of the two Sobel gradient images (horizontal and vertical, of every channel; C the context half-width):
//   d(a, b) = sum_p min_{|dy|, |dx| <= W} sum_{|oy|, |ox| <= C} sum_{g in {gx, gy} per channel} (g_a(p + o) - g_b(p + d + o))^2
// Pixels outside the image have zero gradient (the image is zero-padded before the Sobel filters too). The context is
// what keeps the many-to-one matching from turning a 5 into a 3: a pixel can move, but only to where the
// neighbourhood looks the same. One-sided (a is the test image, b the training image), as in the paper.
// Layout: gradient images are stored zero-padded by P = W + C on every side, (2 ch, H + 2P, W_img + 2P), so every
// read of a shifted context is in bounds; one pair costs (2 W + 1)^2 (2 ch (H + 2C)(W_img + 2C) + box sums) flops.
namespace Latent.Models.Classical;

/// <summary>The image distortion model's settings: the warp range W (pixels a pixel may move, each way) and the
/// context half-width C (the (2C + 1)^2 gradient patch compared).</summary>
public sealed record DeformationSettings(int Warp = DeformationDistance.DefaultWarp, int Context = DeformationDistance.DefaultContext)
{
    /// <summary>The padding of the stored gradient images, W + C.</summary>
    public int Pad => Warp + Context;
}

/// <summary>The image distortion model distance (Keysers et al. 2007) between two images' Sobel gradient images.</summary>
public static class DeformationDistance
{
    /// <summary>The default warp range: each pixel may match within a 3 x 3 window.</summary>
    public const int DefaultWarp = 1;

    /// <summary>The default context half-width: 3 x 3 gradient patches.</summary>
    public const int DefaultContext = 1;

    /// <summary>Floats of the padded gradient planes of an image of the given shape.</summary>
    public static int GradientLength(ImageShape shape, DeformationSettings s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return 2 * shape.Channels * (shape.Height + 2 * s.Pad) * (shape.Width + 2 * s.Pad);
    }

    /// <summary>Floats of the scratch Distance needs.</summary>
    public static int ScratchLength(ImageShape shape, DeformationSettings s)
    {
        ArgumentNullException.ThrowIfNull(s);
        int c = s.Context, h = shape.Height, w = shape.Width;
        return 2 * (h + 2 * c) * (w + 2 * c) + h * w;
    }

    /// <summary>g (2 ch, h + 2P, w + 2P): the horizontal and vertical Sobel gradients of each channel of img (ch, h, w)
    /// (zero outside the image), zero-padded by P; plane 2 i is channel i's horizontal gradient, 2 i + 1 its vertical.</summary>
    public static void Gradients(ReadOnlySpan<float> img, ImageShape shape, DeformationSettings s, Span<float> g)
    {
        ArgumentNullException.ThrowIfNull(s);
        int h = shape.Height, w = shape.Width, p = s.Pad, wp = w + 2 * p, plane = (h + 2 * p) * wp;
        if (img.Length != shape.Dim || g.Length != GradientLength(shape, s))
            throw new ArgumentException($"gradients of a {shape} image need {shape.Dim} values and {GradientLength(shape, s)} floats, got {img.Length} and {g.Length}.");
        g.Clear();
        for (int ch = 0; ch < shape.Channels; ch++)
        {
            var im = img.Slice(ch * h * w, h * w);
            var gx = g.Slice(2 * ch * plane, plane);
            var gy = g.Slice((2 * ch + 1) * plane, plane);
            Sobel.Gradients(im, h, w, gx, gy, wp, p * wp + p);
        }
    }

    /// <summary>d(a, b) of the model above, from the padded gradients of a (the test image) and b (the reference).</summary>
    public static double Distance(ReadOnlySpan<float> ga, ReadOnlySpan<float> gb, ImageShape shape, DeformationSettings s, Span<float> scratch)
    {
        ArgumentNullException.ThrowIfNull(s);
        int h = shape.Height, w = shape.Width, p = s.Pad, c = s.Context, wp = w + 2 * p, plane = (h + 2 * p) * wp, planes = 2 * shape.Channels;
        int dh = h + 2 * c, dw = w + 2 * c;     // the context region: the image and C around it
        if (ga.Length != GradientLength(shape, s) || gb.Length != GradientLength(shape, s) || scratch.Length < ScratchLength(shape, s))
            throw new ArgumentException("the gradient images or the scratch do not fit the image shape and settings.");
        Span<float> diff = scratch[..(dh * dw)];             // (H + 2C, W + 2C) squared gradient differences at one shift
        Span<float> rows = scratch.Slice(dh * dw, dh * w);   // (H + 2C, W) their horizontal box sums
        Span<float> best = scratch.Slice(2 * dh * dw, h * w);
        best.Fill(float.PositiveInfinity);
        int k = 2 * c + 1;
        for (int dy = -s.Warp; dy <= s.Warp; dy++)
            for (int dx = -s.Warp; dx <= s.Warp; dx++)
            {
                for (int y = 0; y < dh; y++)
                {
                    // row y of the region is image row y - C; a's pixel (y - C, x - C), b's shifted by (dy, dx)
                    int ao = (y - c + p) * wp + p - c, bo = (y - c + dy + p) * wp + p - c + dx;
                    var dRow = diff.Slice(y * dw, dw);
                    dRow.Clear();
                    for (int q = 0; q < planes; q++)
                    {
                        var aRow = ga.Slice(q * plane + ao, dw);
                        var bRow = gb.Slice(q * plane + bo, dw);
                        for (int x = 0; x < dw; x++)
                        {
                            float u = aRow[x] - bRow[x];
                            dRow[x] += u * u;
                        }
                    }
                    var rRow = rows.Slice(y * w, w);
                    for (int x = 0; x < w; x++)
                    {
                        float sum = 0;
                        for (int o = 0; o < k; o++) sum += dRow[x + o];
                        rRow[x] = sum;
                    }
                }
                for (int y = 0; y < h; y++)
                    for (int x = 0; x < w; x++)
                    {
                        float sum = 0;
                        for (int o = 0; o < k; o++) sum += rows[(y + o) * w + x];
                        ref float b = ref best[y * w + x];
                        if (sum < b) b = sum;
                    }
            }
        double total = 0;
        foreach (float v in best) total += v;
        return total;
    }
}

// Resizing images by area averaging (a box filter over the covered source area): output pixel (y, x) of an
// H2 x W2 image is the mean of the source image over the rectangle [y H/H2, (y+1) H/H2) x [x W/W2, (x+1) W/W2),
// each source pixel weighted by the part of it the rectangle covers. Shrinking averages whole blocks (no aliasing);
// enlarging blends at most two neighbours per axis. The aspect ratio is not kept: a 40 x 30 image becomes 28 x 28.
// Shrinking by an integer factor this is PyTorch's F.interpolate(mode="area") (average pooling over k x k blocks);
// for other factors it weights the partly covered pixels by their covered fraction (OpenCV's INTER_AREA when
// shrinking), where Pillow's BOX filter would take them whole or not at all. Separable: rows first, then columns.
// 8-bit in, 8-bit out: when every input value is an 8-bit level k / 255 (what the PNG and IDX readers give), each
// output value is rounded to the nearest level, as image resizers do (Pillow, OpenCV on uint8), so the resized image
// is again an 8-bit image that the exact-likelihood models (flows, PixelCNN: EightBitImages) accept. Any other input
// (already off the grid) keeps the exact averages.
//   src: (C, H, W)   dst: (C, H2, W2)
namespace Latent.Data.Images;

/// <summary>Resizing images by area averaging (a box filter over the covered source area).</summary>
public static class ImageResize
{
    /// <summary>Resizes <paramref name="channels"/> planes of <paramref name="height"/> x <paramref name="width"/>
    /// in <paramref name="src"/> to <paramref name="newHeight"/> x <paramref name="newWidth"/> in <paramref name="dst"/>
    /// by area averaging; equal sizes copy. An 8-bit input (<see cref="IsEightBit"/>) gives an 8-bit output (rounded levels).</summary>
    public static void Box(ReadOnlySpan<float> src, int channels, int height, int width, Span<float> dst, int newHeight, int newWidth)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(newHeight);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(newWidth);
        if (src.Length != channels * height * width) throw new ArgumentException($"src holds {src.Length} values, not {channels} x {height} x {width}.", nameof(src));
        if (dst.Length != channels * newHeight * newWidth) throw new ArgumentException($"dst holds {dst.Length} values, not {channels} x {newHeight} x {newWidth}.", nameof(dst));
        var rows = Weights(width, newWidth);            // per output column: (first source column, weights)
        var cols = Weights(height, newHeight);          // per output row
        bool eightBit = IsEightBit(src);
        var tmp = new float[height * newWidth];         // (H, W2): rows resized
        for (int c = 0; c < channels; c++)
        {
            ReadOnlySpan<float> plane = src.Slice(c * height * width, height * width);
            for (int y = 0; y < height; y++)
                for (int x = 0; x < newWidth; x++)
                {
                    var (first, w) = rows[x];
                    float sum = 0;
                    for (int k = 0; k < w.Length; k++) sum += w[k] * plane[y * width + first + k];
                    tmp[y * newWidth + x] = sum;
                }
            Span<float> outPlane = dst.Slice(c * newHeight * newWidth, newHeight * newWidth);
            for (int y = 0; y < newHeight; y++)
            {
                var (first, w) = cols[y];
                for (int x = 0; x < newWidth; x++)
                {
                    float sum = 0;
                    for (int k = 0; k < w.Length; k++) sum += w[k] * tmp[(first + k) * newWidth + x];
                    outPlane[y * newWidth + x] = eightBit ? ToLevel(sum) : sum;
                }
            }
        }
    }

    /// <summary>Largest distance of 255 v from a whole number for v to count as an 8-bit level (float rounding of k / 255f).</summary>
    public const float LevelTolerance = 1e-3f;

    /// <summary>Whether every value is an 8-bit level k / 255, k in 0..255 (within <see cref="LevelTolerance"/>).</summary>
    public static bool IsEightBit(ReadOnlySpan<float> values)
    {
        foreach (float v in values)
        {
            float s = v * 255f;
            if (!(v >= 0f && v <= 1f) || MathF.Abs(s - MathF.Round(s)) > LevelTolerance) return false;
        }
        return true;
    }

    /// <summary>The nearest 8-bit level k / 255 (halves away from zero; a mean of levels lies in [0, 1]).</summary>
    private static float ToLevel(float v) => MathF.Round(Math.Clamp(v, 0f, 1f) * 255f, MidpointRounding.AwayFromZero) / 255f;

    /// <summary>Brings <paramref name="channels"/> planes of <paramref name="height"/> x <paramref name="width"/> to
    /// <paramref name="newHeight"/> x <paramref name="newWidth"/> as <paramref name="mode"/> says, scaling with
    /// <see cref="Box"/>: Stretch scales both sides; Crop takes the largest centred region of the target's aspect
    /// ratio, then scales it; Pad scales the whole image to fit inside and centres it on zeros (black).</summary>
    public static void Fit(ReadOnlySpan<float> src, int channels, int height, int width, Span<float> dst, int newHeight, int newWidth, ResizeMode mode)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(newHeight);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(newWidth);
        if (mode == ResizeMode.Stretch || (long)height * newWidth == (long)width * newHeight)
        {
            Box(src, channels, height, width, dst, newHeight, newWidth);
            return;
        }
        if (src.Length != channels * height * width) throw new ArgumentException($"src holds {src.Length} values, not {channels} x {height} x {width}.", nameof(src));
        if (dst.Length != channels * newHeight * newWidth) throw new ArgumentException($"dst holds {dst.Length} values, not {channels} x {newHeight} x {newWidth}.", nameof(dst));
        bool wider = (long)width * newHeight > (long)height * newWidth;  // the source is wider than the target's aspect
        if (mode == ResizeMode.Crop)
        {
            // the region (ch, cw) of the target's aspect inside (height, width), centred
            int ch = wider ? height : Math.Max(1, (int)Math.Round((double)width * newHeight / newWidth));
            int cw = wider ? Math.Max(1, (int)Math.Round((double)height * newWidth / newHeight)) : width;
            int y0 = (height - ch) / 2, x0 = (width - cw) / 2;
            var region = new float[channels * ch * cw];   // (C, ch, cw)
            for (int c = 0; c < channels; c++)
                for (int y = 0; y < ch; y++)
                    src.Slice(c * height * width + (y0 + y) * width + x0, cw).CopyTo(region.AsSpan(c * ch * cw + y * cw, cw));
            Box(region, channels, ch, cw, dst, newHeight, newWidth);
            return;
        }
        // Pad: scale to (fh, fw) inside the target, centred on zeros
        int fh = wider ? Math.Max(1, (int)Math.Round((double)height * newWidth / width)) : newHeight;
        int fw = wider ? newWidth : Math.Max(1, (int)Math.Round((double)width * newHeight / height));
        var fitted = new float[channels * fh * fw];       // (C, fh, fw)
        Box(src, channels, height, width, fitted, fh, fw);
        dst.Clear();
        int oy = (newHeight - fh) / 2, ox = (newWidth - fw) / 2;
        for (int c = 0; c < channels; c++)
            for (int y = 0; y < fh; y++)
                fitted.AsSpan(c * fh * fw + y * fw, fw).CopyTo(dst.Slice(c * newHeight * newWidth + (oy + y) * newWidth + ox, fw));
    }

    /// <summary>For each of <paramref name="n"/> output pixels along an axis of <paramref name="size"/> source pixels:
    /// the first source pixel it covers and the covered fractions (summing to 1).</summary>
    private static (int First, float[] W)[] Weights(int size, int n)
    {
        var result = new (int, float[])[n];
        double scale = (double)size / n;
        for (int i = 0; i < n; i++)
        {
            double lo = i * scale, hi = (i + 1) * scale;
            int first = (int)Math.Floor(lo), last = Math.Min(size - 1, (int)Math.Ceiling(hi) - 1);
            var w = new float[last - first + 1];
            for (int j = first; j <= last; j++) w[j - first] = (float)((Math.Min(hi, j + 1) - Math.Max(lo, j)) / scale);
            result[i] = (first, w);
        }
        return result;
    }
}

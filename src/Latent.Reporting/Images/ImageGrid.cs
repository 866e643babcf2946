// Lays N images of C x H x W (float pixels in [0, 1], channel-major) out as one 8-bit gray (C = 1) or RGB (C = 3) image:
// rows x columns tiles, nearest-neighbour upscaling, padding, optional row and column labels (GlyphFont).
// Pixels outside [0, 1] are clamped, NaN draws black. Like torchvision.utils.make_grid, plus labels.
using Latent.Data.Png;

namespace Latent.Reporting.Images;

/// <summary>Lays N images of C x H x W (float pixels in [0, 1], channel-major) out as one 8-bit gray (C = 1) or RGB (C = 3) image.</summary>
public static class ImageGrid
{
    /// <summary>Composes <paramref name="count"/> images (count, C, height, width), C = options.Channels, into one grid image.
    /// When <paramref name="reuse"/> (an earlier grid) has this grid's size and format, its pixels are overwritten and
    /// it is returned: a grid drawn again and again (after every training epoch) then allocates no new image.</summary>
    public static PngImage Compose(ReadOnlySpan<float> images, int count, int height, int width, ImageGridOptions? options = null, PngImage? reuse = null)
    {
        options ??= new ImageGridOptions();
        if (count <= 0 || height <= 0 || width <= 0)
            throw new ArgumentOutOfRangeException(nameof(count), $"Need at least one image of positive size, got {count} images of {height} x {width}.");
        int channels = options.Channels;
        if (channels < 1) throw new ArgumentOutOfRangeException(nameof(options), $"Channels must be at least 1, got {channels}.");
        if ((long)count * channels * height * width != images.Length)
            throw new ArgumentException(
                $"{count} images of {channels} x {height} x {width} need {(long)count * channels * height * width} values, got {images.Length}.", nameof(images));
        if (options.Scale < 1) throw new ArgumentOutOfRangeException(nameof(options), $"Scale must be at least 1, got {options.Scale}.");
        if (options.Padding < 0) throw new ArgumentOutOfRangeException(nameof(options), $"Padding must be non-negative, got {options.Padding}.");
        if (options.Columns < 0) throw new ArgumentOutOfRangeException(nameof(options), $"Columns must be non-negative, got {options.Columns}.");

        int cols = options.Columns > 0 ? Math.Min(options.Columns, count) : (int)Math.Ceiling(Math.Sqrt(count));
        int rows = (count + cols - 1) / cols;
        if (options.RowLabels is { } rl && rl.Count != rows)
            throw new ArgumentException($"RowLabels has {rl.Count} labels but the grid has {rows} rows.", nameof(options));
        if (options.ColumnLabels is { } cl && cl.Count != cols)
            throw new ArgumentException($"ColumnLabels has {cl.Count} labels but the grid has {cols} columns.", nameof(options));

        int s = options.Scale, pad = options.Padding, tileW = width * s, tileH = height * s;
        int labelW = options.RowLabels is { } r ? r.Max(GlyphFont.MeasureWidth) + 4 : 0;
        int labelH = options.ColumnLabels is null ? 0 : GlyphFont.CellHeight + 2;
        int gridW = labelW + pad + cols * (tileW + pad), gridH = labelH + pad + rows * (tileH + pad);
        if ((long)gridW * gridH > 1L << 28)
            throw new ArgumentException($"The grid would be {gridW} x {gridH} pixels; lower Scale or the image count.", nameof(options));

        var format = channels == 3 ? PixelFormat.Rgb8 : PixelFormat.Gray8;
        var image = reuse is { } r0 && r0.Width == gridW && r0.Height == gridH && r0.Format == format
            ? reuse : new PngImage(gridW, gridH, format, new byte[gridW * gridH * (int)format]);
        byte[] pixels = image.Pixels;
        byte background = PngImage.ToByte(options.Background);
        Array.Fill(pixels, background);
        int plane = height * width, step = (int)format;
        Span<float> gray = channels is 1 or 3 ? [] : new float[plane];
        for (int n = 0; n < count; n++)
        {
            int x0 = labelW + pad + n % cols * (tileW + pad), y0 = labelH + pad + n / cols * (tileH + pad);
            ReadOnlySpan<float> img = images.Slice(n * channels * plane, channels * plane); // (C, H, W)
            if (channels == 3)
            {
                for (int c = 0; c < 3; c++) DrawTile(pixels, gridW, step, c, x0, y0, tileW, tileH, s, width, img.Slice(c * plane, plane));
                continue;
            }
            if (!gray.IsEmpty)
            {
                gray.Clear();
                for (int c = 0; c < channels; c++)
                    for (int i = 0; i < plane; i++) gray[i] += img[c * plane + i] / channels;
                img = gray;
            }
            DrawTile(pixels, gridW, 1, 0, x0, y0, tileW, tileH, s, width, img);
        }

        if (options.RowLabels is null && options.ColumnLabels is null) return image;
        // labels: drawn (antialiased) on a gray canvas of the background (the image itself when gray), then, for RGB, the
        // pixels they changed copied into every colour channel (labels sit in the margins, beside the tiles)
        byte ink = PngImage.ToByte(options.Ink);
        byte[] canvas = step == 1 ? pixels : new byte[gridW * gridH];
        if (step != 1) Array.Fill(canvas, background);
        if (options.RowLabels is { } rowLabels)
            for (int i = 0; i < rows; i++)
            {
                int y = labelH + pad + i * (tileH + pad) + (tileH - GlyphFont.CellHeight) / 2;
                GlyphFont.Draw(canvas, gridW, gridH, rowLabels[i], 2, y, ink);
            }
        if (options.ColumnLabels is { } colLabels)
            for (int j = 0; j < cols; j++)
            {
                string text = colLabels[j];
                int fit = Math.Max(0, tileW / GlyphFont.CellWidth);
                if (text.Length > fit) text = text[..fit];
                int x = labelW + pad + j * (tileW + pad) + (tileW - GlyphFont.MeasureWidth(text)) / 2;
                GlyphFont.Draw(canvas, gridW, gridH, text, x, 1, ink);
            }
        if (step != 1)
            for (int i = 0; i < canvas.Length; i++)
                if (canvas[i] != background)
                    for (int c = 0; c < 3; c++) pixels[i * 3 + c] = canvas[i];
        return image;
    }

    /// <summary>One (H, W) plane, upscaled by <paramref name="s"/>, at (x0, y0) of a canvas <paramref name="gridW"/> pixels
    /// wide of <paramref name="step"/> interleaved channels, into channel <paramref name="channel"/>.</summary>
    private static void DrawTile(byte[] canvas, int gridW, int step, int channel, int x0, int y0, int tileW, int tileH, int s, int width, ReadOnlySpan<float> img)
    {
        for (int y = 0; y < tileH; y++)
        {
            Span<byte> dst = canvas.AsSpan(((y0 + y) * gridW + x0) * step + channel, (tileW - 1) * step + 1);
            ReadOnlySpan<float> src = img.Slice(y / s * width, width);
            for (int x = 0; x < tileW; x++) dst[x * step] = PngImage.ToByte(src[x / s]);
        }
    }
}

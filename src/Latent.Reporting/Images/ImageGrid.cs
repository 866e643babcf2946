// Lays N images of C x H x W (float pixels in [0, 1], channel-major) out as one 8-bit gray (C = 1) or RGB (C = 3) image:
// rows x columns tiles, nearest-neighbour upscaling, padding, optional row and column labels (GlyphFont).
// Pixels outside [0, 1] are clamped, NaN draws black. Like torchvision.utils.make_grid, plus labels.
using Latent.Data.Png;

namespace Latent.Reporting.Images;

/// <summary>Lays N images of C x H x W (float pixels in [0, 1], channel-major) out as one 8-bit gray (C = 1) or RGB (C = 3) image.</summary>
public static class ImageGrid
{
    /// <summary>Composes <paramref name="count"/> images (count, C, height, width), C = options.Channels, into one grid image.</summary>
    public static PngImage Compose(ReadOnlySpan<float> images, int count, int height, int width, ImageGridOptions? options = null)
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

        var canvas = new byte[gridW * gridH];
        Array.Fill(canvas, PngImage.ToByte(options.Background));
        int plane = height * width;
        var gray = channels == 1 ? null : new float[plane];
        var planes = new byte[channels == 3 ? 3 : 0][];
        for (int c = 0; c < planes.Length; c++) planes[c] = (byte[])canvas.Clone();
        for (int n = 0; n < count; n++)
        {
            int x0 = labelW + pad + n % cols * (tileW + pad), y0 = labelH + pad + n / cols * (tileH + pad);
            ReadOnlySpan<float> img = images.Slice(n * channels * plane, channels * plane); // (C, H, W)
            if (channels == 3)
            {
                for (int c = 0; c < 3; c++) DrawTile(planes[c], gridW, x0, y0, tileW, tileH, s, width, img.Slice(c * plane, plane));
                continue;
            }
            if (gray is not null)
            {
                Array.Clear(gray);
                for (int c = 0; c < channels; c++)
                    for (int i = 0; i < plane; i++) gray[i] += img[c * plane + i] / channels;
                img = gray;
            }
            DrawTile(canvas, gridW, x0, y0, tileW, tileH, s, width, img);
        }

        byte ink = PngImage.ToByte(options.Ink);
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
        if (channels != 3) return new PngImage(gridW, gridH, PixelFormat.Gray8, canvas);
        // RGB: the tiles of each colour plane, the labels (drawn on the gray canvas) over every plane
        var rgb = new byte[gridW * gridH * 3];
        for (int i = 0; i < canvas.Length; i++)
        {
            bool label = canvas[i] == ink && planes[0][i] != ink;
            for (int c = 0; c < 3; c++) rgb[i * 3 + c] = label ? ink : planes[c][i];
        }
        return new PngImage(gridW, gridH, PixelFormat.Rgb8, rgb);
    }

    /// <summary>One (H, W) plane, upscaled by <paramref name="s"/>, at (x0, y0) of a canvas <paramref name="gridW"/> wide.</summary>
    private static void DrawTile(byte[] canvas, int gridW, int x0, int y0, int tileW, int tileH, int s, int width, ReadOnlySpan<float> img)
    {
        for (int y = 0; y < tileH; y++)
        {
            Span<byte> dst = canvas.AsSpan((y0 + y) * gridW + x0, tileW);
            ReadOnlySpan<float> src = img.Slice(y / s * width, width);
            for (int x = 0; x < tileW; x++) dst[x] = PngImage.ToByte(src[x / s]);
        }
    }
}

// The picture of one explanation, for `latent explain --out` and the report's cards: one row of tiles, each
// labelled above, upscaled 4x: the input, the model's reconstruction, the residual heat map |x - x^| overlaid on the
// input in red (opacity 0.85 r / max r, so the largest residual is the reddest pixel), and the nearest training
// images with their latent distances. Colour images show as RGB, gray images as gray.
using System.Globalization;
using Latent.Models;
using Latent.Models.Explanations;
using Latent.Reporting.Images;
using Latent.Data.Png;

namespace Latent.Cli;

internal static class ExplanationImage
{
    private const int Scale = 4;

    public static PngImage Render(Explanation e, ReadOnlySpan<float> image, IReadOnlyList<float[]> neighbours, ImageShape shape)
    {
        int plane = shape.Height * shape.Width;
        var tiles = new List<float>();
        var labels = new List<string>();
        void Add(ReadOnlySpan<float> chw, string label)
        {
            tiles.AddRange(Rgb(chw, shape));
            labels.Add(label);
        }
        Add(image, "input");
        if (e.Reconstruction is { } rec) Add(rec, "recon");
        if (e.Residual is { } r)
        {
            float max = r.Values.Max();
            float[] gray = Gray(image, shape);
            var heat = new float[3 * plane];
            for (int p = 0; p < plane; p++)
            {
                float a = max > 0 ? 0.85f * r.Values[p] / max : 0f, g = gray[p] * (1 - a);
                heat[p] = g + a;
                heat[plane + p] = g;
                heat[2 * plane + p] = g;
            }
            tiles.AddRange(heat);
            labels.Add("|x - x^|");
        }
        for (int k = 0; k < neighbours.Count && k < e.Neighbours.Count; k++)
            Add(neighbours[k], string.Create(CultureInfo.InvariantCulture, $"nn{k + 1} {e.Neighbours[k].Distance:0.##}"));
        return ImageGrid.Compose(tiles.ToArray(), labels.Count, shape.Height, shape.Width,
            new ImageGridOptions { Columns = labels.Count, Scale = Scale, Padding = 4, Channels = 3, ColumnLabels = labels, Background = 0.16f });
    }

    /// <summary>(C, H, W) as (3, H, W): gray repeated, RGB kept, other channel counts averaged to gray.</summary>
    private static float[] Rgb(ReadOnlySpan<float> chw, ImageShape shape)
    {
        int plane = shape.Height * shape.Width;
        if (shape.Channels == 3) return chw.ToArray();
        float[] g = Gray(chw, shape);
        var rgb = new float[3 * plane];
        for (int c = 0; c < 3; c++) g.CopyTo(rgb.AsSpan(c * plane));
        return rgb;
    }

    private static float[] Gray(ReadOnlySpan<float> chw, ImageShape shape)
    {
        int plane = shape.Height * shape.Width;
        var g = new float[plane];
        for (int c = 0; c < shape.Channels; c++)
            for (int p = 0; p < plane; p++) g[p] += chw[c * plane + p] / shape.Channels;
        return g;
    }
}

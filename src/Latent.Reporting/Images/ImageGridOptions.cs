// Layout options for ImageGrid: columns, padding, integer upscaling, background and labels.
namespace Latent.Reporting.Images;

/// <summary>Layout options for ImageGrid: columns, padding, integer upscaling, background and labels.</summary>
public sealed class ImageGridOptions
{
    /// <summary>Images per row; 0 chooses ceil(sqrt(N)).</summary>
    public int Columns { get; init; }

    /// <summary>Pixels between tiles and around the grid (after scaling).</summary>
    public int Padding { get; init; } = 2;

    /// <summary>Integer upscaling factor (nearest neighbour), at least 1.</summary>
    public int Scale { get; init; } = 1;

    /// <summary>Gray level in [0, 1] of padding and label areas.</summary>
    public float Background { get; init; } = 0.2f;

    /// <summary>Gray level in [0, 1] of label text.</summary>
    public float Ink { get; init; } = 1f;

    /// <summary>Channels C of each image, stored (C, H, W): 1 draws gray, 3 draws RGB; any other count draws the
    /// mean of the channels in gray.</summary>
    public int Channels { get; init; } = 1;

    /// <summary>One label per grid row, drawn left of the row; null for none.</summary>
    public IReadOnlyList<string>? RowLabels { get; init; }

    /// <summary>One label per grid column, drawn above the column (cut to the column width); null for none.</summary>
    public IReadOnlyList<string>? ColumnLabels { get; init; }
}

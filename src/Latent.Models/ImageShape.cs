// The geometry of one sample: C channels of H x W pixels, stored channel-major (C, H, W) and flattened to
// D = C H W values. Tabular data is Flat(D): one channel of 1 x D. Every model takes its geometry from the data
// (Samples.Shape) or its options; nothing assumes 28 x 28 or one channel.
namespace Latent.Models;

/// <summary>The geometry of one sample: C channels of H x W pixels, stored channel-major (C, H, W) and flattened to D = C H W values.</summary>
public readonly record struct ImageShape
{
    [System.Text.Json.Serialization.JsonConstructor]
    public ImageShape(int channels, int height, int width)
    {
        if (channels < 1 || height < 1 || width < 1 || (long)channels * height * width > int.MaxValue)
            throw new ArgumentException($"an image shape needs positive sizes with at most {int.MaxValue} values; got {channels}x{height}x{width}.");
        Channels = channels;
        Height = height;
        Width = width;
    }

    public int Channels { get; }
    public int Height { get; }
    public int Width { get; }

    /// <summary>D = C H W, values per sample.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public int Dim => Channels * Height * Width;

    /// <summary>A vector of D features (one channel of 1 x D).</summary>
    public static ImageShape Flat(int dim) => new(1, 1, dim);

    /// <summary>One-channel H x W images.</summary>
    public static ImageShape Gray(int height, int width) => new(1, height, width);

    public override string ToString() => Channels == 1 ? $"{Height}x{Width}" : $"{Channels}x{Height}x{Width}";
}

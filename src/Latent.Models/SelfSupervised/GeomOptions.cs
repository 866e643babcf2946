// The options of GEOM (Golan and El-Yaniv 2018): the image geometry (square), the shift s of the transformations
// (GeometricTransforms: 0 gives the 8 turns and flips, s > 0 the 72 with shifts by s pixels) and the width of the
// classifier (GeomNetwork: W, 2W, 4W feature maps). The paper classifies 72 transformations with a wide residual
// network; the defaults here (8 transformations, W = 16) are sized for these CPUs (docs/ACCURACY.md says why).
namespace Latent.Models.SelfSupervised;

/// <summary>The options of GEOM (Golan and El-Yaniv 2018): geometry, transformation shift and classifier width.</summary>
public sealed record GeomOptions : TrainedModelOptions
{
    public int Channels { get; init; } = 1;
    public int Height { get; init; } = 28;
    public int Width { get; init; } = 28;

    /// <summary>s, the shift in pixels of the translated transformations (0: the 8 turns and flips only; else 72).</summary>
    public int Shift { get; init; }

    /// <summary>W, the feature maps of the first convolution (2W and 4W after it).</summary>
    public int Hidden { get; init; } = 16;

    /// <summary>Largest W an options file may ask for.</summary>
    public const int MaxHidden = 1024;

    public override string ModelName => "geom";
    public override int? LatentSize => null;
    public override ImageShape? InputShape => new ImageShape(Channels, Height, Width);

    /// <summary>T, the transformations the classifier tells apart.</summary>
    public int Transformations => GeometricTransforms.Count(Shift);

    public static GeomOptions For(ImageShape shape) => new()
    {
        Channels = shape.Channels,
        Height = shape.Height,
        Width = shape.Width,
        Training = new Training.TrainingOptions { BatchSize = 64 },
    };

    public override IEnumerable<KeyValuePair<string, string>> Settings(int members = 1) =>
    [
        new("training", Training.Describe(members)),
        new("transformations", Shift == 0 ? "8: four quarter turns x horizontal flip" : $"72: shifts by {Shift} px in x and y x horizontal flip x four quarter turns"),
        new("classifier", $"three 3x3 stride-2 convolutions of {Hidden}, {2 * Hidden}, {4 * Hidden} maps, then a linear layer to {Transformations} logits"),
    ];

    /// <summary>Throws an ArgumentException naming the bad option.</summary>
    public override void Validate()
    {
        if (Channels < 1 || Channels > 64 || Height < 2 || Height > 4096 || Width != Height)
            throw new ArgumentException($"geom image shape {Channels}x{Height}x{Width} must be square (its transformations turn the image by quarter turns), 1 to 64 channels of 2 to 4096 pixels.");
        if (Shift < 0 || Shift >= Height) throw new ArgumentException($"geom shift {Shift} must be 0 (the 8 turns and flips) to {Height - 1} pixels.");
        if (Hidden < 1 || Hidden > MaxHidden) throw new ArgumentException($"geom width {Hidden} must be 1 to {MaxHidden} feature maps.");
        if (Training is null) throw new ArgumentException("the training options are missing.");
        Training.Validate();
    }
}

// The autoregressive family's options (PixelCNN, van den Oord et al. 2016): the image geometry, the number of levels
// of a pixel (256 for 8-bit images: pixel value k / (L - 1) is level k), the width of the residual trunk (2h feature
// maps, h inside a block as in the paper's Fig. 5), its depth (residual blocks with a 3 x 3 mask-B convolution), the
// first layer's kernel (7 x 7 mask A) and the width of the two 1 x 1 output layers. Defaults are sized for these
// CPUs (measured in docs/PIXELCNN.md); the paper's MNIST/CIFAR network is wider (2h = 256) and deeper (15 blocks).
// MutationRate (Ren et al. 2019, as the flows' FlowOptions): the background network of the likelihood-ratio score is
// trained on images whose pixels are replaced by a uniform level with this probability; 0 trains none. Checkpoints
// written before it existed have no such key and read as 0 (PixelCnnEntry.ReadOptions).
namespace Latent.Models.Autoregressive;

/// <summary>The autoregressive family's options (PixelCNN, van den Oord et al. 2016).</summary>
public sealed record PixelCnnOptions : TrainedModelOptions
{
    public int Channels { get; init; } = 1;
    public int Height { get; init; } = 28;
    public int Width { get; init; } = 28;

    /// <summary>L, the values a pixel takes: k / (L - 1), k = 0 .. L - 1 (256: 8-bit images).</summary>
    public int Levels { get; init; } = 256;

    /// <summary>2h, the feature maps between residual blocks (h inside a block).</summary>
    public int Hidden { get; init; } = 32;

    /// <summary>Residual blocks (1 x 1, 3 x 3 mask B, 1 x 1 convolutions).</summary>
    public int Blocks { get; init; } = 4;

    /// <summary>Kernel of the first, mask-A convolution (odd).</summary>
    public int InputKernel { get; init; } = 7;

    /// <summary>Feature maps of the first 1 x 1 output layer (the second gives C L logits).</summary>
    public int OutputHidden { get; init; } = 32;

    /// <summary>Ren et al.'s mutation rate of the background network's training images (0: no background network).</summary>
    public float MutationRate { get; init; } = 0.2f;

    /// <summary>Ren et al.'s L2 penalty lambda of the background network's weights (Adam weight decay; 0: none, the
    /// default, and what checkpoints written before it read as).</summary>
    public float BackgroundL2 { get; init; }

    /// <summary>Largest channel count of any layer and largest level count an options file may ask for.</summary>
    public const int MaxWidth = 4096;

    public const int MaxBlocks = 256;

    public override string ModelName => "pixelcnn";
    public override int? LatentSize => null;
    public override ImageShape? InputShape => new ImageShape(Channels, Height, Width);

    public static PixelCnnOptions For(ImageShape shape) => new()
    {
        Channels = shape.Channels,
        Height = shape.Height,
        Width = shape.Width,
        Training = new Training.TrainingOptions { BatchSize = 64 },
    };

    /// <summary>Vertical receptive field: rows above a pixel that its logits can see.</summary>
    public int Reach => InputKernel / 2 + Blocks;

    public override IEnumerable<KeyValuePair<string, string>> Settings(int members = 1) =>
    [
        new("training", Training.Describe(members)),
        new("network", $"7x7 mask A then {Blocks} residual blocks of {Hidden} maps, 1x1 output {OutputHidden}, {Levels}-way softmax".Replace("7x7", $"{InputKernel}x{InputKernel}", StringComparison.Ordinal)),
        new("density", MutationRate > 0f
            ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"exact; background network at mutation rate {MutationRate:G3}{(BackgroundL2 > 0f ? $", L2 {BackgroundL2:G3}" : "")}")
            : "exact; no background network"),
    ];

    /// <summary>Throws an ArgumentException naming the bad option.</summary>
    public override void Validate()
    {
        if (Channels < 1 || Channels > 64 || Height < 1 || Height > 4096 || Width < 1 || Width > 4096)
            throw new ArgumentException($"pixelcnn image shape {Channels}x{Height}x{Width} must be 1 to 64 channels of 1 to 4096 x 1 to 4096 pixels.");
        if (Levels < 2 || Levels > MaxWidth) throw new ArgumentException($"pixelcnn levels {Levels} must be 2 to {MaxWidth} (256 for 8-bit images).");
        if (Hidden < 2 || Hidden > MaxWidth || Hidden % (2 * Channels) != 0)
            throw new ArgumentException($"pixelcnn hidden maps {Hidden} must be 2 to {MaxWidth} and a multiple of 2 x {Channels} channels (each block halves it per colour group).");
        if (OutputHidden < 1 || OutputHidden > MaxWidth || OutputHidden % Channels != 0)
            throw new ArgumentException($"pixelcnn output maps {OutputHidden} must be 1 to {MaxWidth} and a multiple of the {Channels} channels.");
        if (Blocks < 0 || Blocks > MaxBlocks) throw new ArgumentException($"pixelcnn blocks {Blocks} must be 0 to {MaxBlocks}.");
        if (InputKernel < 1 || InputKernel > 31 || InputKernel % 2 == 0) throw new ArgumentException($"pixelcnn input kernel {InputKernel} must be odd, 1 to 31 (7 in the paper).");
        if ((long)Channels * Levels > MaxWidth * 4L) throw new ArgumentException($"pixelcnn output of {Channels} x {Levels} logits per pixel is too large.");
        if (!(MutationRate >= 0f && MutationRate <= 1f)) throw new ArgumentException($"pixelcnn mutation rate {MutationRate} must be in [0, 1] (0: no background network).");
        Scores.BackgroundPenalty.Validate(BackgroundL2, MutationRate);
        if (Training is null) throw new ArgumentException("the training options are missing.");
        Training.Validate();
    }
}

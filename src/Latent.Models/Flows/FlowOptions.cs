// The flow family's options (made, maf, realnvp): the image geometry, the networks, the logit transform's alpha and
// the background model of the likelihood-ratio score. Defaults (ForKind), sized to train on these CPUs:
//   made     one MADE step, 1 hidden layer of 1024 ReLU units, alpha 1e-6 (Papamakarios et al. 2017's MNIST setup)
//   maf      5 MADE steps of 1 hidden layer of 512 units, batch norm between steps, alpha 1e-6 (the paper: 1024)
//   realnvp  2 scales of 3 + 3 couplings and 4 final ones, coupling nets 64 wide, alpha 1e-6 (Dinh et al. 2017 used 0.05
//            on natural images; on MNIST's saturated background it left the flow to expand each blank pixel's 1/256
//            interval with tanh-bounded scales: 2.07 bits/dim after one epoch against 1.49 with 1e-6, docs/FLOWS.md)
// MutationRate (Ren et al. 2019): each pixel of a background training image is replaced by a uniform random level
// with this probability; 0 trains no background model (no likelihood-ratio score). BackgroundL2: their L2 penalty on
// the background model's weights (default 0). Training images must be the 8-bit
// images themselves, so augmentation (which interpolates between levels) is refused.
using System.Globalization;
using System.Text.Json.Serialization;

namespace Latent.Models.Flows;

/// <summary>The flow family's options (made, maf, realnvp): the image geometry, the networks, the logit transform's alpha and the background model of the likelihood-ratio score.</summary>
public sealed record FlowOptions : TrainedModelOptions
{
    public FlowKind Kind { get; init; } = FlowKind.RealNvp;
    public int Channels { get; init; } = 1;
    public int Height { get; init; } = 28;
    public int Width { get; init; } = 28;

    /// <summary>MADE / MAF: autoregressive steps (1 for made), hidden layers per step and their width.</summary>
    public int Blocks { get; init; } = 5;
    public int HiddenLayers { get; init; } = 1;
    public int Hidden { get; init; } = 512;

    /// <summary>MAF: batch norm between the MADE steps.</summary>
    public bool BatchNorm { get; init; } = true;

    /// <summary>RealNVP: scales (each halves H and W) and couplings per mask type per scale.</summary>
    public int Scales { get; init; } = 2;
    public int Couplings { get; init; } = 3;

    /// <summary>The logit transform's alpha: l = logit(alpha + (1 - 2 alpha) y).</summary>
    public float Alpha { get; init; } = 1e-6f;

    /// <summary>Ren et al.'s mutation rate of the background model's training images (0: no background model).</summary>
    public float MutationRate { get; init; } = 0.2f;

    /// <summary>Ren et al.'s L2 penalty lambda of the background model's weights (Adam weight decay; 0: none, the
    /// default, and what checkpoints written before it read as).</summary>
    public float BackgroundL2 { get; init; }

    public const int MaxWidth = 1 << 14, MaxDepth = 64;

    [JsonIgnore]
    public ImageShape Shape => new(Channels, Height, Width);

    public override string ModelName => Kind switch { FlowKind.Made => "made", FlowKind.Maf => "maf", _ => "realnvp" };

    public override int? LatentSize => null;

    public override ImageShape? InputShape => Shape;

    /// <summary>The defaults of one kind for images of <paramref name="shape"/>.</summary>
    public static FlowOptions ForKind(FlowKind kind, ImageShape shape) => kind switch
    {
        FlowKind.Made => new FlowOptions { Kind = kind, Blocks = 1, Hidden = 1024, BatchNorm = false, Channels = shape.Channels, Height = shape.Height, Width = shape.Width },
        FlowKind.Maf => new FlowOptions { Kind = kind, Channels = shape.Channels, Height = shape.Height, Width = shape.Width },
        _ => new FlowOptions { Kind = kind, Hidden = 64, Channels = shape.Channels, Height = shape.Height, Width = shape.Width },
    };

    public override IEnumerable<KeyValuePair<string, string>> Settings(int members = 1)
    {
        string net = Kind == FlowKind.RealNvp
            ? $"{Scales} scales, {Couplings} couplings per mask, width {Hidden}"
            : $"{Blocks} MADE step{(Blocks == 1 ? "" : "s")} of {HiddenLayers} x {Hidden}{(BatchNorm && Blocks > 1 ? ", batch norm" : "")}";
        return [new("training", Training.Describe(members)), new("network", net),
            new("density", string.Create(CultureInfo.InvariantCulture, $"dequantised, logit alpha {Alpha:G3}; background mutation rate {MutationRate:G3}{(BackgroundL2 > 0f ? $", L2 {BackgroundL2:G3}" : "")}"))];
    }

    public override void Validate()
    {
        if (!Enum.IsDefined(Kind)) throw new ArgumentException($"flow kind {(int)Kind} is unknown; use made, maf or realnvp.");
        if (Training is null) throw new ArgumentException("the training options are missing.");
        Training.Validate();
        if (!Training.Augment.IsNone)
            throw new ArgumentException($"{ModelName} models the 8-bit images exactly; augmentation interpolates between levels, so it cannot be used (drop --augment).");
        _ = new ImageShape(Channels, Height, Width);
        if (Blocks < 1 || Blocks > MaxDepth) throw new ArgumentException($"MADE steps {Blocks} must be 1 to {MaxDepth}.");
        if (Kind == FlowKind.Made && (Blocks != 1 || BatchNorm)) throw new ArgumentException("made is one MADE step without batch norm; use maf for more steps.");
        if (HiddenLayers < 1 || HiddenLayers > MaxDepth) throw new ArgumentException($"hidden layers {HiddenLayers} must be 1 to {MaxDepth}.");
        if (Hidden < 1 || Hidden > MaxWidth) throw new ArgumentException($"hidden width {Hidden} must be 1 to {MaxWidth}.");
        if (Scales < 0 || Scales > 8) throw new ArgumentException($"scales {Scales} must be 0 to 8.");
        if (Couplings < 1 || Couplings > MaxDepth) throw new ArgumentException($"couplings {Couplings} must be 1 to {MaxDepth}.");
        if (Kind == FlowKind.RealNvp && (Height % (1 << Scales) != 0 || Width % (1 << Scales) != 0))
            throw new ArgumentException($"realnvp with {Scales} scales needs height and width divisible by {1 << Scales}; the images are {Height}x{Width}.");
        if (!(Alpha > 0f && Alpha < 0.5f)) throw new ArgumentException($"logit alpha {Alpha} must be in (0, 0.5).");
        if (!(MutationRate >= 0f && MutationRate <= 1f)) throw new ArgumentException($"mutation rate {MutationRate} must be in [0, 1] (0: no background model).");
        Scores.BackgroundPenalty.Validate(BackgroundL2, MutationRate);
    }
}

// The training settings every trained family shares: Adam's base learning rate and the schedule over the run, the
// mini-batch size, the seed of every draw, the augmentation of the training images and the epochs of the run.
// Defaults are PyTorch's (Adam lr 1e-3, constant) and the seed study's (batch 128). Stored in the checkpoint with
// the family's options, so `latent train --resume` continues with the settings the run started with.
namespace Latent.Models.Training;

/// <summary>The training settings every trained family shares.</summary>
public sealed record TrainingOptions
{
    /// <summary>Total epochs of the run (the cosine schedule spans them; --resume continues up to them).</summary>
    public int Epochs { get; init; } = 10;

    /// <summary>Adam learning rate (PyTorch's default 1e-3) of the model's main optimiser.</summary>
    public float LearningRate { get; init; } = 1e-3f;

    /// <summary>How the learning rate changes over the run's steps (constant: PyTorch's default, as the peer).</summary>
    public LrSchedule Schedule { get; init; } = LrSchedule.Constant;

    public int BatchSize { get; init; } = 128;

    /// <summary>Seed of the initial weights, the shuffles and every noise draw.</summary>
    public int Seed { get; init; }

    /// <summary>Random affine augmentation of the training images (none by default); see <see cref="Augmentation"/>.</summary>
    public Augmentation Augment { get; init; } = Augmentation.None;

    /// <summary>The fraction of the training images held out (seeded shuffle, the rest trains) to watch a held-out
    /// loss for the overfitting alarm; 0 = none. Models without a held-out loss (the GANs) refuse it.</summary>
    public double HeldOut { get; init; }

    /// <summary>Stop training at the end of the epoch whose held-out loss raises the overfitting alarm (needs HeldOut).</summary>
    public bool EarlyStop { get; init; }

    /// <summary>HeldOut when --early-stop is given without a fraction: 10 % of the images.</summary>
    public const double DefaultHeldOut = 0.1;

    /// <summary>The largest HeldOut: half the images.</summary>
    public const double MaxHeldOut = 0.5;

    /// <summary>"40 epochs, seed 0, cosine learning rate, batch 64, augment shift=2,...": the run's length and seed and
    /// every setting that differs from the defaults; for an ensemble of <paramref name="members"/> models, their seeds.</summary>
    public string Describe(int members = 1)
    {
        var defaults = new TrainingOptions();
        var parts = new List<string> { $"{Epochs} epoch{(Epochs == 1 ? "" : "s")}", members > 1 ? $"seeds {Seed} to {Seed + members - 1}" : $"seed {Seed}" };
        if (Schedule != defaults.Schedule) parts.Add($"{Schedule.ToString().ToLowerInvariant()} learning rate");
        if (LearningRate != defaults.LearningRate) parts.Add(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"lr {LearningRate:G3}"));
        if (BatchSize != defaults.BatchSize) parts.Add($"batch {BatchSize}");
        if (Augment is { IsNone: false }) parts.Add($"augment {Augment}");
        if (HeldOut > 0) parts.Add(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{100 * HeldOut:0.#} % held out{(EarlyStop ? ", early stop" : "")}"));
        if (members > 1) parts.Add($"ensemble of {members} (mean score)");
        return string.Join(", ", parts);
    }

    /// <summary>Throws an ArgumentException naming the bad option.</summary>
    public void Validate()
    {
        if (Epochs < 1 || Epochs > 1_000_000) throw new ArgumentException($"epochs {Epochs} must be between 1 and 1000000.");
        if (!(LearningRate > 0f) || !float.IsFinite(LearningRate)) throw new ArgumentException($"learning rate {LearningRate} must be a positive number.");
        if (!Enum.IsDefined(Schedule)) throw new ArgumentException($"learning-rate schedule {(int)Schedule} is unknown; use constant or cosine.");
        if (BatchSize < 2 || BatchSize > 1 << 20) throw new ArgumentException($"batch size {BatchSize} must be between 2 and 1048576.");
        if (!(HeldOut >= 0 && HeldOut <= MaxHeldOut)) throw new ArgumentException($"held-out fraction {HeldOut} must be between 0 and {MaxHeldOut}.");
        if (EarlyStop && HeldOut == 0) throw new ArgumentException("early stopping needs a held-out fraction above 0 (e.g. 0.1).");
        if (Augment is null) throw new ArgumentException("the augmentation is missing; use 'none' for no augmentation.");
        Augment.Validate();
    }
}

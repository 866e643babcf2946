// The training options every trained kind shares: --epochs / --preset, --batch-size, --lr, --lr-schedule, --augment,
// --seed (TrainingOptions). Given to a kind fitted exactly (pca, gaussian, knn) they are an error, except --seed,
// which such kinds ignore as they draw nothing.
using System.CommandLine;
using Latent.Models;
using Latent.Models.Training;

namespace Latent.Cli;

internal sealed class TrainingOptionGroup(int defaultEpochs) : IOptionGroup
{
    /// <summary>Epochs of each --preset: quick (minutes on 2 cores), paper (the seed study's training length).</summary>
    public static IReadOnlyDictionary<string, int> PresetEpochs { get; } = new Dictionary<string, int> { ["quick"] = 5, ["paper"] = 50 };

    internal const string AugmentDescription =
        "Random affine augmentation of the training images: none (default), affine (shift 2 px, rotate 10 deg, scale 0.1), or e.g. shift=1,rotate=5,scale=0.05.";

    public Option<int?> Epochs { get; } = new("--epochs") { Description = "Trained models: total epochs (with train --resume: up to this many)." };
    public Option<string?> Preset { get; } = new("--preset") { Description = "Trained models: training length, quick (5 epochs) or paper (50); --epochs overrides it." };
    public Option<int?> BatchSize { get; } = new("--batch-size") { Description = "Trained models: mini-batch size (default 128)." };
    public Option<float?> LearningRate { get; } = new("--lr") { Description = "Trained models: Adam learning rate (default 1e-3)." };
    public Option<string?> Schedule { get; } = new("--lr-schedule") { Description = "Trained models: constant (default) or cosine learning rate." };
    public Option<string?> Augment { get; } = new("--augment") { Description = AugmentDescription };
    public Option<int?> Seed { get; } = new("--seed") { Description = "Seed of the weights, shuffles and noise (default 0; exactly fitted models draw nothing)." };

    public Option<double?> HeldOut { get; } = new("--held-out") { Description = "Autoencoders: hold out this fraction of the training images (e.g. 0.1) and watch their loss for the overfitting alarm." };
    public Option<bool> EarlyStop { get; } = new("--early-stop") { Description = "A flag (autoencoders): stop when the held-out loss rises while the training loss falls (holds out 0.1 unless --held-out says)." };

    public IReadOnlyList<Option> Options => [Epochs, Preset, BatchSize, LearningRate, Schedule, Augment, Seed, HeldOut, EarlyStop];

    public ModelOptions Apply(ModelOptions options, ModelEntry entry, ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        // every value is checked first, so that a bad value is named whatever the model
        int? batch = parse.GetValue(BatchSize);
        if (batch is < 2 or > 1 << 20) throw new CliException($"--batch-size {batch}: a mini-batch needs at least 2 images (e.g. 128).");
        float? lr = parse.GetValue(LearningRate);
        if (lr is not null && !(lr > 0f && float.IsFinite(lr.Value))) throw new CliException($"--lr {lr}: the learning rate must be a positive number, e.g. 0.001.");
        var schedule = ParseSchedule(parse.GetValue(Schedule));
        var augment = ParseAugment(parse.GetValue(Augment));
        int? epochs = EpochsGiven(parse);
        double? heldOut = parse.GetValue(HeldOut);
        if (heldOut is double h && !(h > 0 && h <= TrainingOptions.MaxHeldOut))
            throw new CliException($"--held-out {h.ToString(System.Globalization.CultureInfo.InvariantCulture)}: hold out a fraction above 0 and at most {TrainingOptions.MaxHeldOut.ToString(System.Globalization.CultureInfo.InvariantCulture)} of the training images, e.g. --held-out 0.1.");
        bool early = parse.GetValue(EarlyStop);
        if ((heldOut is not null || early) && entry.Family != "autoencoder" && options is TrainedModelOptions)
            throw OptionGroupExtensions.NotFor(heldOut is not null ? HeldOut : EarlyStop, entry, $"the autoencoders ({ModelRegistry.Names(e => e.Family == "autoencoder")}), which have a held-out loss");
        if (options is not TrainedModelOptions trained)
        {
            foreach (var o in Options.Where(o => o != Seed && parse.Given(o)))
                throw OptionGroupExtensions.NotFor(o, entry, $"the trained models ({ModelRegistry.Names(e => e.IsTrained)})");
            return options;
        }
        var t = trained.Training;
        t = t with
        {
            Epochs = epochs ?? (t.Epochs != new TrainingOptions().Epochs ? t.Epochs : defaultEpochs),
            BatchSize = batch ?? t.BatchSize,
            LearningRate = lr ?? t.LearningRate,
            Schedule = schedule ?? t.Schedule,
            Augment = augment ?? t.Augment,
            Seed = parse.GetValue(Seed) ?? t.Seed,
            HeldOut = heldOut ?? (early && t.HeldOut == 0 ? TrainingOptions.DefaultHeldOut : t.HeldOut),
            EarlyStop = early || t.EarlyStop,
        };
        return trained with { Training = t };
    }

    /// <summary>--epochs, else the --preset's epochs, else null.</summary>
    private int? EpochsGiven(ParseResult parse)
    {
        if (parse.GetValue(Epochs) is int e)
            return e is >= 1 and <= 1_000_000 ? e : throw new CliException($"--epochs {e}: train for 1 to 1000000 epochs.");
        if (parse.GetValue(Preset) is string p)
            return PresetEpochs.TryGetValue(p.ToLowerInvariant(), out int pe) ? pe
                : throw new CliException($"--preset: unknown preset '{p}'; use {string.Join(" or ", PresetEpochs.Keys)}.");
        return null;
    }

    /// <summary>--lr-schedule: null (the model's default), constant or cosine.</summary>
    internal static LrSchedule? ParseSchedule(string? text) =>
        CliChoice.Parse(text, "--lr-schedule", "schedule", ("constant", LrSchedule.Constant), ("cosine", LrSchedule.Cosine));

    /// <summary>--augment: null (none), none, affine, or shift=P,rotate=D,scale=F.</summary>
    internal static Augmentation? ParseAugment(string? text)
    {
        if (text is null) return null;
        try { return Augmentation.Parse(text); }
        catch (ArgumentException e) { throw new CliException($"--augment {text}: {e.Message}"); }
    }
}

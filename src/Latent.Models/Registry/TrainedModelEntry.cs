// A registry entry of a trained family: the model is a GenerativeModel built from its options, trained by the shared
// Trainer for TrainingOptions.Epochs, scored by GenerativeScores (the scores its capabilities give), and saved with
// its optimisers' state so that training resumes exactly.
using System.Globalization;
using Latent.Models.Scores;
using Latent.Models.Training;
using Latent.Nn;
using Latent.Nn.Checkpoints;
using Latent.Tensors;

namespace Latent.Models;

/// <summary>A registry entry of a trained family.</summary>
public abstract class TrainedModelEntry : ModelEntry
{
    public override bool IsTrained => true;
    public override bool HasLatent => true;

    /// <summary>A fresh, untrained model.</summary>
    public abstract GenerativeModel Create(ModelOptions options);

    public override IReadOnlyList<ScoreInfo> Scores(ModelOptions options) => GenerativeScores.Available(Create(options));

    protected override IReadOnlyList<IClassModel> FitCore(Samples train, IReadOnlyList<FitItem> items, FitContext context)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(context);
        var models = new List<IClassModel>();
        foreach (var item in items)
        {
            var model = Create(item.Options);
            string who = item.Name ?? (model.Options.LatentSize is int z ? $"{Name} latent {z}" : Name);
            var trainer = new Trainer(model)
            {
                Cancellation = context.Cancellation,
                EpochDone = r => context.Log?.Invoke(string.Create(CultureInfo.InvariantCulture,
                    $"  {who} epoch {r.Epoch}/{r.Epochs}: {r.TermsText}  ({r.Seconds:0.0} s, {r.ImagesPerSecond:0} img/s training){r.AlarmsText}")),
            };
            trainer.Train(train, 0, model.Training.Epochs);
            models.Add(new GenerativeScores(model, context.Scores, item.Name));
        }
        return models;
    }

    public override IReadOnlyList<NamedTensor> CheckpointTensors(IClassModel model) => Model(model).CheckpointTensors();

    public override ModelOptions OptionsOf(IClassModel model) => Model(model).Options;

    protected override IClassModel LoadCore(SafeTensorsFile file, ModelOptions options, string path, IReadOnlyCollection<string>? scores) =>
        new GenerativeScores(LoadModel(file, options, path), scores);

    /// <summary>Building a model from a checkpoint may allocate this many times the values the file holds, plus
    /// <see cref="BuildSlack"/> (initialisation temporaries, fixed noise, masks).</summary>
    public const long BuildFactor = 4;

    /// <summary>Values a model may allocate while it is built beyond <see cref="BuildFactor"/> x the file's (64 MB).</summary>
    public const long BuildSlack = 16L << 20;

    /// <summary>The trained model of a checkpoint, in eval mode, its optimisers' state kept for a resumed run.</summary>
    public GenerativeModel LoadModel(SafeTensorsFile file, ModelOptions options, string path)
    {
        ArgumentNullException.ThrowIfNull(file);
        // A checkpoint holds every parameter and buffer of its model: building one from options that ask for many times
        // more values than the file holds (edited sizes) is refused before the weights are allocated.
        long held = file.Tensors.Values.Sum(t => (long)t.Length), limit = BuildFactor * held + BuildSlack;
        GenerativeModel model;
        try
        {
            using (Tensor.LimitAllocations(limit)) model = Create(options);
        }
        catch (AllocationLimitException e)
        {
            throw new InvalidDataException($"'{path}': its options describe a '{Name}' model of more than {limit:N0} values ({options.InputShape} images), " +
                $"but the file holds {held:N0}; the file is corrupt or its options were edited: retrain, or use an earlier copy.", e);
        }
        file = file with { Tensors = model.UpgradeCheckpoint(file.Tensors) };
        Checkpoint.Copy(file, path, model, name => name.StartsWith(GenerativeModel.OptimizerPrefix, StringComparison.Ordinal));
        model.RestoreOptimizerState(file.Tensors, path);
        model.Eval();
        return model;
    }

    private GenerativeModel Model(IClassModel model) => Invariance.InvariantModel.Unwrap(model) is GenerativeScores g ? g.Model
        : throw new ArgumentException($"'{model?.Name}' is not a trained {Name} model.");
}

// A registry entry of a trained family: the model is a GenerativeModel built from its options, trained by the shared
// Trainer for TrainingOptions.Epochs, scored by GenerativeScores (the scores its capabilities give), and saved with
// its optimisers' state so that training resumes exactly.
using System.Globalization;
using Latent.Models.Scores;
using Latent.Models.Training;
using Latent.Nn;
using Latent.Nn.Checkpoints;

namespace Latent.Models;

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

    /// <summary>The trained model of a checkpoint, in eval mode, its optimisers' state kept for a resumed run.</summary>
    public GenerativeModel LoadModel(SafeTensorsFile file, ModelOptions options, string path)
    {
        ArgumentNullException.ThrowIfNull(file);
        GenerativeModel model = Create(options);
        file = file with { Tensors = model.UpgradeCheckpoint(file.Tensors) };
        Checkpoint.Copy(file, path, model, name => name.StartsWith(GenerativeModel.OptimizerPrefix, StringComparison.Ordinal));
        model.RestoreOptimizerState(file.Tensors, path);
        model.Eval();
        return model;
    }

    private GenerativeModel Model(IClassModel model) => Invariance.InvariantModel.Unwrap(model) is GenerativeScores g ? g.Model
        : throw new ArgumentException($"'{model?.Name}' is not a trained {Name} model.");
}

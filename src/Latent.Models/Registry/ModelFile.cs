// Saving and loading any registry kind: a safetensors checkpoint (Latent.Nn.Checkpoints) with the model's tensors
// (a trained model's parameters, buffers and optimiser state; a classical model's fitted arrays) and metadata
//   model_type = the entry's CheckpointType ("latent.autoencoder.vae", "latent.classical.pca", ...)
//   options    = the family's options record as JSON (read back by the entry)
//   epoch      = epochs trained (0 for the classical kinds)
//   calibration = (optional) the held-out calibration scores for conformal p-values (Conformal/ConformalCalibration)
//   features    = (optional) tabular models: the feature columns and their standardisation (FeatureScaling)
// Loading finds the entry by model_type, reads and validates the options, rebuilds the model and copies its tensors:
// a file of an unknown kind, with corrupt options or an unreadable epoch is an InvalidDataException naming the file
// and what to do.
using System.Globalization;
using Latent.Models.Conformal;
using Latent.Models.Training;
using Latent.Nn.Checkpoints;

namespace Latent.Models;

/// <summary>A model read from a checkpoint: its registry entry, options, the scorer, and the epochs it was trained.</summary>
public sealed record LoadedModel(ModelEntry Entry, ModelOptions Options, IClassModel Model, int Epoch)
{
    /// <summary>The calibration scores saved with the model (`latent train --calibration`), or null.</summary>
    public ConformalCalibration? Calibration { get; init; }

    /// <summary>A model of tabular data: its feature columns and their standardisation; null for images.</summary>
    public FeatureScaling? Features { get; init; }

    /// <summary>The trained model behind the scorer (null for the classical kinds).</summary>
    public GenerativeModel? Generative => (Invariance.InvariantModel.Unwrap(Model) as Scores.GenerativeScores)?.Model;
}

/// <summary>Saves and loads a model of any registry kind as a safetensors checkpoint (model type, options, epoch, optional calibration).</summary>
public static class ModelFile
{
    public const string EpochKey = "epoch";

    /// <summary>Metadata key of a trained model's alarms at the epoch saved (one per line; absent when none).</summary>
    public const string AlarmsKey = "alarms";

    /// <summary>Saves a model fitted or loaded by <paramref name="entry"/>.</summary>
    public static void Save(string path, ModelEntry entry, IClassModel model, int epoch = 0, ConformalCalibration? calibration = null, FeatureScaling? features = null)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var options = entry.OptionsOf(model);
        if (model is Invariance.InvariantModel w) options = options with { Invariance = w.Invariance };
        Write(path, entry, options, entry.CheckpointTensors(model), epoch, entry.StateMetadata(model), calibration, features);
    }

    /// <summary>Saves a trained model after <paramref name="epoch"/> epochs.</summary>
    public static void Save(string path, GenerativeModel model, int epoch, ConformalCalibration? calibration = null, FeatureScaling? features = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        var alarms = model.Alarms;
        Write(path, ModelRegistry.Get(model.Options.ModelName), model.Options, model.CheckpointTensors(), epoch,
            alarms.Count == 0 ? null : new Dictionary<string, string> { [AlarmsKey] = string.Join("\n", alarms) }, calibration, features);
    }

    private static void Write(string path, ModelEntry entry, ModelOptions options, IReadOnlyList<Nn.NamedTensor> tensors, int epoch,
        IReadOnlyDictionary<string, string>? state, ConformalCalibration? calibration, FeatureScaling? features)
    {
        var metadata = new Dictionary<string, string>
        {
            [Checkpoint.ModelTypeKey] = entry.CheckpointType,
            [Checkpoint.OptionsKey] = entry.WriteOptions(options),
            [EpochKey] = epoch.ToString(CultureInfo.InvariantCulture),
        };
        foreach (var (k, v) in state ?? new Dictionary<string, string>()) metadata.Add(k, v);
        if (calibration is not null) metadata.Add(ConformalCalibration.MetadataKey, calibration.ToJson());
        if (features is not null) metadata.Add(FeatureScaling.MetadataKey, features.ToJson());
        Checkpoint.Save(path, tensors, metadata);
    }

    /// <summary>Loads any registry kind's checkpoint, scoring only <paramref name="scores"/> (null: all).</summary>
    public static LoadedModel Load(string path, IReadOnlyCollection<string>? scores = null)
    {
        var (entry, options, file, epoch) = ReadHeader(path);
        return new LoadedModel(entry, options, entry.Load(file, options, path, scores), epoch) { Calibration = ReadCalibration(file, path), Features = ReadFeatures(file, path) };
    }

    /// <summary>Loads a trained model (to resume or sample); a checkpoint of a classical kind is an error saying so.</summary>
    public static (GenerativeModel Model, int Epoch) LoadTrained(string path)
    {
        var (entry, options, file, epoch) = ReadHeader(path);
        if (entry is not TrainedModelEntry trained)
            throw new InvalidDataException($"'{path}' holds a '{entry.Name}' model, which is fitted exactly, not trained; it cannot be resumed.");
        return (trained.LoadModel(file, options, path), epoch);
    }

    /// <summary>The calibration saved in a checkpoint, or null when it has none.</summary>
    public static ConformalCalibration? ReadCalibration(string path) => ReadCalibration(Checkpoint.Read(path), path);

    /// <summary>The feature scaling saved in a checkpoint (a model of tabular data), or null.</summary>
    public static FeatureScaling? ReadFeatures(string path) => ReadFeatures(Checkpoint.Read(path), path);

    private static FeatureScaling? ReadFeatures(SafeTensorsFile file, string path) =>
        file.Metadata.TryGetValue(FeatureScaling.MetadataKey, out string? json) ? FeatureScaling.FromJson(json, path) : null;

    private static ConformalCalibration? ReadCalibration(SafeTensorsFile file, string path) =>
        file.Metadata.TryGetValue(ConformalCalibration.MetadataKey, out string? json) ? ConformalCalibration.FromJson(json, path) : null;

    private static (ModelEntry Entry, ModelOptions Options, SafeTensorsFile File, int Epoch) ReadHeader(string path)
    {
        SafeTensorsFile file = Checkpoint.Read(path);
        if (!file.Metadata.TryGetValue(Checkpoint.ModelTypeKey, out string? type))
            throw new InvalidDataException($"'{path}' is a safetensors file without a model type, not a Latent model; give a file written by `latent train`.");
        ModelEntry entry = ModelRegistry.ForCheckpointType(type)
            ?? throw new InvalidDataException($"'{path}' holds a '{type}' model, which this build of Latent does not know; models: {ModelRegistry.Names()}.");
        if (!file.Metadata.TryGetValue(Checkpoint.OptionsKey, out string? json))
            throw new InvalidDataException($"'{path}' has no model options in its metadata; it was not written by `latent train`.");
        ModelOptions options = entry.ReadOptions(json, path);
        if (options.ModelName != entry.Name)
            throw new InvalidDataException($"'{path}' says model type '{type}' but its options describe a '{options.ModelName}'; the file is corrupt.");
        try { options.Validate(); }
        catch (ArgumentException e) { throw new InvalidDataException($"'{path}' has invalid model options: {e.Message}", e); }
        int epoch = 0;
        if (file.Metadata.TryGetValue(EpochKey, out string? text)
            && !(int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out epoch) && epoch >= 0))
            throw new InvalidDataException($"'{path}' has an unreadable epoch count '{text}' in its metadata; the file is corrupt: retrain, or use an earlier copy.");
        return (entry, options, file, epoch);
    }
}

// The options of one model kind: one record per family (Classical/PcaOptions, Autoencoders/AutoencoderOptions, ...),
// stored as JSON in the checkpoint metadata under the kind's registry entry, which names the concrete record
// (polymorphism by model type, so no list of families lives here). A trained family's options carry the shared
// TrainingOptions.
using System.Text.Json.Serialization;
using Latent.Models.Training;

namespace Latent.Models;

/// <summary>The options of one model kind: one record per family, stored as JSON in the checkpoint metadata.</summary>
public abstract record ModelOptions
{
    /// <summary>The model's name on the command line and in the registry ("pca", "vae", ...).</summary>
    [JsonIgnore]
    public abstract string ModelName { get; }

    /// <summary>The latent size Z, or null for models that have none.</summary>
    [JsonIgnore]
    public abstract int? LatentSize { get; }

    /// <summary>The image geometry the model takes (null: any, for models fitted on whatever they are given).</summary>
    [JsonIgnore]
    public abstract ImageShape? InputShape { get; }

    /// <summary>Deskewing, centring and test-time augmentation of the images (Invariance/Invariance.cs); null: none.
    /// Written to a checkpoint only when set, so the options of earlier versions read and write unchanged.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Invariance.ImageInvariance? Invariance { get; init; }

    /// <summary>Throws an ArgumentException naming the bad option.</summary>
    public abstract void Validate();

    /// <summary>The settings a report lists for this model, beyond its kind and latent size ("variance floor",
    /// "training", ...), non-default values only where defaults go without saying; <paramref name="members"/> models
    /// with consecutive seeds when an ensemble is evaluated.</summary>
    public virtual IEnumerable<KeyValuePair<string, string>> Settings(int members = 1) => [];
}

/// <summary>Options of a family trained by gradient steps from a seed (the deep models).</summary>
public abstract record TrainedModelOptions : ModelOptions
{
    public TrainingOptions Training { get; init; } = new();

    public override IEnumerable<KeyValuePair<string, string>> Settings(int members = 1) => [new("training", Training.Describe(members))];
}

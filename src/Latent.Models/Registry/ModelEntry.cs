// One kind of model in the registry: its name on the command line, what it is, its family and options record, how
// to fit it, which scores it gives, and how its checkpoint is written and read. Every command (train, classmodel,
// score, help texts), the protocol and checkpoint loading read the kinds from ModelRegistry, so adding a kind is a
// new entry (one file) and one registry line.
using System.Text.Json;
using System.Text.Json.Serialization;
using Latent.Nn.Checkpoints;

namespace Latent.Models;

/// <summary>One kind of model in the registry: its name, description, family and options record, how it is fitted and scored, and how its checkpoint is written and read.</summary>
public abstract class ModelEntry
{
    /// <summary>The command-line name ("pca", "vae", ...).</summary>
    public abstract string Name { get; }

    /// <summary>One line for help texts and listings.</summary>
    public abstract string Description { get; }

    /// <summary>The family: "classical", "autoencoder", ...; one options record per family.</summary>
    public abstract string Family { get; }

    /// <summary>The family's options record (a ModelOptions).</summary>
    public abstract Type OptionsType { get; }

    /// <summary>Whether the kind has a latent size (fitted once per --latent).</summary>
    public abstract bool HasLatent { get; }

    /// <summary>Trained by gradient steps from a seed for epochs (the options are TrainedModelOptions): ensembles over
    /// seeds make sense, and `latent train` can resume it.</summary>
    public virtual bool IsTrained => false;

    /// <summary>The checkpoint's model_type: "latent.&lt;family&gt;.&lt;name&gt;".</summary>
    public string CheckpointType => $"latent.{Family}.{Name}";

    /// <summary>The kind's default options at a latent size (null for kinds without) for samples of a shape.</summary>
    public abstract ModelOptions Defaults(int? latent, ImageShape shape);

    /// <summary>The options of <paramref name="template"/> for one latent size (ignored by kinds without) and for
    /// samples of <paramref name="shape"/>: what the protocol fits for each --latent.</summary>
    public abstract ModelOptions Adapt(ModelOptions template, int? latent, ImageShape shape);

    /// <summary>The scores a model with these options gives, in report order.</summary>
    public abstract IReadOnlyList<ScoreInfo> Scores(ModelOptions options);

    /// <summary>Fits one model per item on the training class (sharing what the family can share), each limited to
    /// <see cref="FitContext.Scores"/> and named by the item (null: the kind's name). Items whose options ask for an
    /// invariance (ModelOptions.Invariance) are fitted on preprocessed images and wrapped (InvariantModel).</summary>
    public IReadOnlyList<IClassModel> Fit(Samples train, IReadOnlyList<FitItem> items, FitContext context)
    {
        ArgumentNullException.ThrowIfNull(items);
        var result = new IClassModel[items.Count];
        foreach (var group in items.Select((item, i) => (item, i)).GroupBy(t => t.item.Options.Invariance?.Preprocess ?? Invariance.Preprocess.None))
        {
            var part = group.ToArray();
            var fitted = FitCore(Invariance.Preprocessing.Apply(train, group.Key), part.Select(t => t.item).ToArray(), context);
            for (int j = 0; j < part.Length; j++) result[part[j].i] = Invariance.InvariantModel.Wrap(fitted[j], part[j].item.Options.Invariance);
        }
        return result;
    }

    /// <summary>Fits one model per item on the (already preprocessed) training class: the kind's own fit.</summary>
    protected abstract IReadOnlyList<IClassModel> FitCore(Samples train, IReadOnlyList<FitItem> items, FitContext context);

    /// <summary>The tensors a checkpoint of <paramref name="model"/> (a model this entry fitted or loaded) holds.</summary>
    public abstract IReadOnlyList<Nn.NamedTensor> CheckpointTensors(IClassModel model);

    /// <summary>Metadata a checkpoint of <paramref name="model"/> holds beside its options (a classical model's
    /// double-precision arrays, exactly; see ClassicalEntry); none by default.</summary>
    public virtual IReadOnlyDictionary<string, string> StateMetadata(IClassModel model) => new Dictionary<string, string>();

    /// <summary>The options of a model this entry fitted or loaded.</summary>
    public abstract ModelOptions OptionsOf(IClassModel model);

    /// <summary>Rebuilds a model from its checkpoint (tensors and metadata already validated by Checkpoint.Read),
    /// wrapped with the invariance its options ask for.</summary>
    public IClassModel Load(SafeTensorsFile file, ModelOptions options, string path, IReadOnlyCollection<string>? scores)
    {
        ArgumentNullException.ThrowIfNull(options);
        var model = LoadCore(file, options, path, scores);
        try { return Invariance.InvariantModel.Wrap(model, options.Invariance); }
        catch (ArgumentException e) { throw new InvalidDataException($"'{path}' has invalid model options: {e.Message}", e); }
    }

    /// <summary>The kind's own model of a checkpoint, without its invariance wrapper.</summary>
    protected abstract IClassModel LoadCore(SafeTensorsFile file, ModelOptions options, string path, IReadOnlyCollection<string>? scores);

    /// <summary>Reads the options JSON of a checkpoint; <paramref name="source"/> names the file in errors.</summary>
    public virtual ModelOptions ReadOptions(string json, string source)
    {
        ModelOptions? o;
        try { o = (ModelOptions?)JsonSerializer.Deserialize(json, OptionsType, Json); }
        catch (Exception e) when (e is JsonException or NotSupportedException or ArgumentException or InvalidOperationException)
        {
            throw new InvalidDataException($"'{source}': the model options are not valid JSON for a '{Name}' model ({e.Message}).", e);
        }
        if (o is null) throw new InvalidDataException($"'{source}': the model options are empty.");
        return o;
    }

    /// <summary>Writes options as the checkpoint's options JSON.</summary>
    public string WriteOptions(ModelOptions options) => JsonSerializer.Serialize(options, OptionsType, Json);

    // Options records store what was asked; properties computed from the others (Transport, Deformation, LatentSize,
    // InputShape: get-only) are left out, so that the JSON holds each setting once and an edit of it takes effect.
    // ModelName, also get-only, stays as the kind's label. (Older checkpoints' computed properties are skipped on reading.)
    private protected static readonly JsonSerializerOptions Json = new()
    {
        Converters = { new JsonStringEnumConverter() },
        TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver { Modifiers = { StoredOnly } },
    };

    private static void StoredOnly(System.Text.Json.Serialization.Metadata.JsonTypeInfo info)
    {
        if (!typeof(ModelOptions).IsAssignableFrom(info.Type)) return;
        for (int i = info.Properties.Count - 1; i >= 0; i--)
            if (info.Properties[i].Set is null && info.Properties[i].Name != nameof(ModelOptions.ModelName)) info.Properties.RemoveAt(i);
    }

    /// <summary>Throws unless <paramref name="options"/> is this entry's options record.</summary>
    private protected T Expect<T>(ModelOptions options) where T : ModelOptions =>
        options as T ?? throw new ArgumentException($"model '{Name}' takes {typeof(T).Name}, not {options?.GetType().Name ?? "null"}.");

    public override string ToString() => Name;
}

/// <summary>One model to fit: its options and its name in results (null: the kind's name).</summary>
public sealed record FitItem(ModelOptions Options, string? Name = null);

/// <summary>What a fit may report and honour: the scores asked for (null: all), progress lines of long fits (one
/// per epoch for the trained kinds), and cancellation.</summary>
public sealed record FitContext
{
    public IReadOnlyCollection<string>? Scores { get; init; }
    public Action<string>? Log { get; init; }
    public CancellationToken Cancellation { get; init; }

    public static FitContext None { get; } = new();
}

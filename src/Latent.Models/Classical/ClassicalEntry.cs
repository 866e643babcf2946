// The base of the classical family's registry entries: models fitted exactly from the training class (no seed, no
// epochs). Their checkpoints hold the fitted float32 arrays as tensors and the double-precision ones (means,
// eigenvalues, variances) in the metadata as JSON numbers written with round-trip precision, so a loaded model
// scores bit for bit as the fitted one did.
using System.Globalization;
using System.Text.Json;
using Latent.Nn;
using Latent.Nn.Checkpoints;
using Latent.Tensors;

namespace Latent.Models.Classical;

/// <summary>The base of the classical family's registry entries: models fitted exactly from the training class (no seed, no epochs).</summary>
public abstract class ClassicalEntry : ModelEntry
{
    public override string Family => "classical";

    public override IReadOnlyList<NamedTensor> CheckpointTensors(IClassModel model) => [];

    /// <summary>The fixed score list of the kind (options do not change it).</summary>
    private protected abstract IReadOnlyList<ScoreInfo> KindScores { get; }

    public override IReadOnlyList<ScoreInfo> Scores(ModelOptions options) => KindScores;

    /// <summary>The metadata key of a double array.</summary>
    private protected static string StateKey(string name) => "state." + name;

    private protected static string WriteDoubles(double[] values) =>
        "[" + string.Join(",", values.Select(v => v.ToString("R", CultureInfo.InvariantCulture))) + "]";

    private protected static double[] ReadDoubles(SafeTensorsFile file, string name, string path)
    {
        if (!file.Metadata.TryGetValue(StateKey(name), out string? text))
            throw new InvalidDataException($"'{path}' has no '{StateKey(name)}' in its metadata; it was not written by Latent, or is damaged.");
        try
        {
            var values = JsonSerializer.Deserialize<double[]>(text);
            if (values is null || values.Any(v => !double.IsFinite(v))) throw new InvalidDataException($"'{path}': '{StateKey(name)}' holds missing or non-finite numbers.");
            return values;
        }
        catch (JsonException e) { throw new InvalidDataException($"'{path}': '{StateKey(name)}' is not a list of numbers ({e.Message}).", e); }
    }

    private protected static ImageShape Shape(ImageShape? input, string path) =>
        input ?? throw new InvalidDataException($"'{path}': the model options do not say the size of the images it was fitted on (Input).");

    private protected static Tensor ReadTensor(SafeTensorsFile file, string name, string path) =>
        file.Tensors.TryGetValue(name, out Tensor? t) ? t
            : throw new InvalidDataException($"'{path}' has no tensor '{name}'; it was not written by Latent, or is damaged.");

    private protected static Tensor AsTensor(float[] values, params int[] shape)
    {
        var t = new Tensor(shape);
        values.CopyTo(t.Data);
        return t;
    }

    private protected static T Only<T>(IClassModel model, string name) where T : class, IClassModel =>
        Invariance.InvariantModel.Unwrap(model) as T ?? throw new ArgumentException($"'{model?.Name}' is not a {name} model.");

    /// <summary>Checks that a classical model was asked only for its own scores.</summary>
    private protected void CheckScores(IReadOnlyCollection<string>? scores)
    {
        if (scores is null) return;
        foreach (string s in scores)
            if (!KindScores.Any(k => k.Name == s))
                throw new ArgumentException($"model '{Name}' has no score '{s}'{ModelRegistry.SuggestAmong(s, KindScores.Select(k => k.Name))}; its scores are {string.Join(", ", KindScores.Select(k => k.Name))}.");
    }
}

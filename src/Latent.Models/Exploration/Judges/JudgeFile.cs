// A judge's checkpoint: safetensors with model_type latent.judge.<kind>, its options (JSON) and its MNIST test
// accuracy in the metadata. Judges are classifiers, not generative models, so they are kept out of the model
// registry (and out of the --model lists of train and classmodel); `latent explore` reads them with --judge.
// Loading checks the weights the options ask for against the values the file holds before building the judge.
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Latent.Nn.Checkpoints;

namespace Latent.Models.Exploration.Judges;

/// <summary>A judge's checkpoint: safetensors with model_type latent.judge.&lt;kind&gt;, its options (JSON) and its MNIST test accuracy in the metadata.</summary>
public static class JudgeFile
{
    public const string TypePrefix = "latent.judge.";
    public const string AccuracyKey = "test_accuracy";
    private static readonly JsonSerializerOptions Json = new() { Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) } };

    public static void Save(string path, Judge judge, double testAccuracy)
    {
        ArgumentNullException.ThrowIfNull(judge);
        Checkpoint.Save(path, judge, new Dictionary<string, string>
        {
            [Checkpoint.ModelTypeKey] = TypePrefix + judge.Options.Kind.ToString().ToLowerInvariant(),
            [Checkpoint.OptionsKey] = JsonSerializer.Serialize(judge.Options, Json),
            [AccuracyKey] = testAccuracy.ToString("R", CultureInfo.InvariantCulture),
        });
    }

    /// <summary>The judge saved at <paramref name="path"/> and its recorded test accuracy; a file that is not a judge's is
    /// an InvalidDataException saying what it is.</summary>
    public static (Judge Judge, double TestAccuracy) Load(string path)
    {
        var file = Checkpoint.Read(path);
        string type = file.Metadata.GetValueOrDefault(Checkpoint.ModelTypeKey) ?? "";
        if (!type.StartsWith(TypePrefix, StringComparison.Ordinal))
            throw new InvalidDataException($"'{path}' is not a judge (its model type is '{type}'); train one with `latent explore judge train`.");
        JudgeOptions? o;
        try { o = JsonSerializer.Deserialize<JudgeOptions>(file.Metadata.GetValueOrDefault(Checkpoint.OptionsKey) ?? "", Json); }
        catch (JsonException e) { throw new InvalidDataException($"'{path}': the judge options are not valid JSON ({e.Message}).", e); }
        if (o is null) throw new InvalidDataException($"'{path}': the judge options are missing.");
        try { o.Validate(); }
        catch (ArgumentException e) { throw new InvalidDataException($"'{path}': {e.Message}", e); }
        long needed = Judge.ParameterCount(o), held = file.Tensors.Values.Sum(t => (long)t.Length);
        if (needed > held)   // checked before allocating: options of a 1 KB file could ask for 4 GB of weights
            throw new InvalidDataException($"'{path}': its options describe a {o.Kind.ToString().ToLowerInvariant()} judge of {o.Height}x{o.Width} images and {o.Classes} classes " +
                $"({needed:N0} weights), but the file holds {held:N0} values; the file is corrupt: train the judge again.");
        var judge = new Judge(o);
        Checkpoint.Copy(file, path, judge);
        double acc = double.TryParse(file.Metadata.GetValueOrDefault(AccuracyKey), NumberStyles.Float, CultureInfo.InvariantCulture, out double a) ? a : double.NaN;
        judge.Eval();
        return (judge, acc);
    }
}

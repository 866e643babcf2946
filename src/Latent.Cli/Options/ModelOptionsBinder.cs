// The options that choose and configure a model, declared once and shared by `train` and `classmodel`: --model (any
// registry kind), --latent, and the option groups (training, autoencoder, classical). Bind applies what the user
// gave to the kind's defaults (or to a saved model's options, for train --resume).
using System.CommandLine;
using System.Globalization;
using Latent.Models;

namespace Latent.Cli;

internal sealed class ModelOptionsBinder
{
    /// <summary>The binder of a command whose trained models run <paramref name="defaultEpochs"/> epochs unless told,
    /// and whose --model defaults to <paramref name="defaultModel"/> (null: required).</summary>
    public ModelOptionsBinder(int defaultEpochs, string latentDescription, string? defaultModel = null)
    {
        Model = new Option<string>("--model") { Description = $"The model: {ModelRegistry.Names()}." };
        if (defaultModel is null) Model.Required = true;
        else Model.DefaultValueFactory = _ => defaultModel;
        Latent = new Option<string?>("--latent") { Description = latentDescription };
        Training = new TrainingOptionGroup(defaultEpochs);
        var autoencoders = new AutoencoderOptionGroup();
        Groups = [Training, autoencoders, new GanOptionGroup(autoencoders.SpectralNorm, autoencoders.Architecture), new ClassicalOptionGroup(), new PixelCnnOptionGroup(), new FlowOptionGroup(), new MutationRateOptionGroup(), new InvarianceOptionGroup(), new GeomOptionGroup()];
    }

    public Option<string> Model { get; }
    public Option<string?> Latent { get; }
    public TrainingOptionGroup Training { get; }
    public IReadOnlyList<IOptionGroup> Groups { get; }

    /// <summary>Every option of the binder, --model first.</summary>
    public IEnumerable<Option> Options => new Option[] { Model, Latent }.Concat(Groups.SelectMany(g => g.Options));

    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        foreach (var o in Options) command.Options.Add(o);
    }

    /// <summary>The registry entry --model names (a CliException with a suggestion when it names none).</summary>
    public ModelEntry Entry(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        string name = parse.GetValue(Model)!;
        return ModelRegistry.Find(name) ?? throw new CliException($"--model: unknown model '{name}'{ModelRegistry.Suggest(name)}; models: {ModelRegistry.Names()}.");
    }

    /// <summary>--latent as a list of sizes (null when not given).</summary>
    public int[]? Latents(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        string? text = parse.GetValue(Latent);
        if (text is null) return null;
        var list = ParseIntList(text, "--latent");
        if (list.Length == 0) throw new CliException("--latent needs at least one size, e.g. --latent 10,16,20.");
        return list;
    }

    /// <summary>The user's options applied, group by group, to <paramref name="options"/>.</summary>
    public ModelOptions Bind(ParseResult parse, ModelEntry entry, ModelOptions options)
    {
        foreach (var g in Groups) options = g.Apply(options, entry, parse);
        return options;
    }

    /// <summary>The model options the user gave explicitly (not --model, --latent).</summary>
    public IEnumerable<Option> Given(ParseResult parse) => Groups.SelectMany(g => g.Options).Where(parse.Given);

    internal static int[] ParseIntList(string text, string option)
    {
        var parts = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var r = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!int.TryParse(parts[i], NumberStyles.Integer, CultureInfo.InvariantCulture, out r[i]))
                throw new CliException($"{option}: '{parts[i]}' is not a whole number.");
        return r.Distinct().ToArray();
    }
}

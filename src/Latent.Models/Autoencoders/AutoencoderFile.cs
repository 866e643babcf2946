// Saving and loading autoencoder models: a safetensors checkpoint (Latent.Nn.Checkpoints) holding every parameter
// and buffer (including the fitted statistics) with metadata model_type = "latent.autoencoder.<kind>", options =
// the AutoencoderOptions as JSON, and the number of epochs trained, plus the optimisers' state (optim.*, see
// AutoencoderModel.OptimizerState) so that a resumed run continues exactly. Loading rebuilds the model from the
// options, then checks and copies the tensors; a file of another kind of model is an InvalidDataException saying so.
using System.Globalization;
using Latent.Nn.Checkpoints;

namespace Latent.Models.Autoencoders;

public static class AutoencoderFile
{
    public const string ModelTypePrefix = "latent.autoencoder.";
    public const string EpochKey = "epoch";

    /// <summary>A fresh model of the kind the options name.</summary>
    public static AutoencoderModel Create(AutoencoderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Kind switch
        {
            AutoencoderKind.Ae or AutoencoderKind.Dae => new Ae(options),
            AutoencoderKind.Vae => new Vae(options),
            AutoencoderKind.Aae => new Aae(options),
            AutoencoderKind.Wae => new Wae(options),
            _ => throw new ArgumentException($"unknown autoencoder kind {options.Kind}."),
        };
    }

    public static void Save(string path, AutoencoderModel model, int epoch)
    {
        ArgumentNullException.ThrowIfNull(model);
        Checkpoint.Save(path, [.. model.StateTensors(), .. model.OptimizerTensors()], new Dictionary<string, string>
        {
            [Checkpoint.ModelTypeKey] = ModelTypePrefix + model.Options.Name,
            [Checkpoint.OptionsKey] = model.Options.ToJson(),
            [EpochKey] = epoch.ToString(CultureInfo.InvariantCulture),
        });
    }

    /// <summary>Loads a model saved by <see cref="Save"/>, in eval mode, and the epochs it was trained for.</summary>
    public static (AutoencoderModel Model, int Epoch) Load(string path)
    {
        SafeTensorsFile file = Checkpoint.Read(path);
        if (!file.Metadata.TryGetValue(Checkpoint.ModelTypeKey, out string? type) || !type.StartsWith(ModelTypePrefix, StringComparison.Ordinal))
            throw new InvalidDataException($"'{path}' holds {(type is null ? "a checkpoint without a model type" : $"a '{type}' model")}, not a Latent autoencoder; " +
                "give a file written by `latent train`.");
        if (!file.Metadata.TryGetValue(Checkpoint.OptionsKey, out string? json))
            throw new InvalidDataException($"'{path}' has no model options in its metadata; it was not written by `latent train`.");
        AutoencoderOptions options = AutoencoderOptions.FromJson(json, path);
        if (ModelTypePrefix + options.Name != type)
            throw new InvalidDataException($"'{path}' says model type '{type}' but its options describe a '{options.Name}'; the file is corrupt.");
        try { options.Validate(); }
        catch (ArgumentException e) { throw new InvalidDataException($"'{path}' has invalid model options: {e.Message}", e); }
        AutoencoderModel model = Create(options);
        Checkpoint.Load(path, model, name => name.StartsWith(AutoencoderModel.OptimizerPrefix, StringComparison.Ordinal));
        model.RestoreOptimizerState(file.Tensors, path);
        model.Eval();
        int epoch = file.Metadata.TryGetValue(EpochKey, out string? e2) && int.TryParse(e2, NumberStyles.Integer, CultureInfo.InvariantCulture, out int ep) ? ep : 0;
        return (model, epoch);
    }
}

// The registry entry of one autoencoder kind (ae, dae, vae, aae, wae): AutoencoderOptions.ForKind's defaults, the
// model classes below, and the options of checkpoints written before the options were split by family.
using System.Text.Json;
using Latent.Models.Training;

namespace Latent.Models.Autoencoders;

/// <summary>The registry entry of one autoencoder kind (ae, dae, vae, aae, wae).</summary>
public sealed class AutoencoderEntry(AutoencoderKind kind, string description) : TrainedModelEntry
{
    public AutoencoderKind Kind { get; } = kind;
    public override string Name { get; } = kind.ToString().ToLowerInvariant();
    public override string Description { get; } = description;
    public override string Family => "autoencoder";
    public override Type OptionsType => typeof(AutoencoderOptions);

    public override ModelOptions Defaults(int? latent, ImageShape shape) =>
        AutoencoderOptions.ForKind(Kind, latent ?? throw new ArgumentException($"model '{Name}' needs a latent size."), shape);

    public override ModelOptions Adapt(ModelOptions template, int? latent, ImageShape shape)
    {
        var o = Expect<AutoencoderOptions>(template);
        return o with
        {
            Network = o.Network with { Latent = latent ?? o.Latent, Channels = shape.Channels, Height = shape.Height, Width = shape.Width },
        };
    }

    public override GenerativeModel Create(ModelOptions options)
    {
        var o = Expect<AutoencoderOptions>(options);
        if (o.Kind != Kind) throw new ArgumentException($"the '{Name}' entry builds {Name} models, not {o.Name}.");
        return Kind switch
        {
            AutoencoderKind.Ae or AutoencoderKind.Dae => new Ae(o),
            AutoencoderKind.Vae => new Vae(o),
            AutoencoderKind.Aae => new Aae(o),
            _ => new Wae(o),
        };
    }

    /// <summary>Reads the family's options, or the flat record of checkpoints written before (no "Training" object).</summary>
    public override ModelOptions ReadOptions(string json, string source)
    {
        bool legacy;
        try
        {
            using var doc = JsonDocument.Parse(json);
            legacy = doc.RootElement.ValueKind == JsonValueKind.Object && !doc.RootElement.TryGetProperty(nameof(TrainedModelOptions.Training), out _);
        }
        catch (JsonException e) { throw new InvalidDataException($"'{source}': the model options are not valid JSON ({e.Message}).", e); }
        if (!legacy) return base.ReadOptions(json, source);
        LegacyAutoencoderOptions? old;
        try { old = JsonSerializer.Deserialize<LegacyAutoencoderOptions>(json, Json); }
        catch (Exception e) when (e is JsonException or NotSupportedException or ArgumentException or InvalidOperationException)
        {
            throw new InvalidDataException($"'{source}': the model options are not valid JSON for a '{Name}' model ({e.Message}).", e);
        }
        return old?.ToOptions() ?? throw new InvalidDataException($"'{source}': the model options are empty.");
    }
}

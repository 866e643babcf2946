// The registry entry of one GAN kind (gan, bigan, infogan): GanOptions.ForKind's defaults (the DCGAN shapes of
// ../shared/peers/ae_torch.py, Adam 2e-4 / 0.5) and the model classes of the family.
using Latent.Models.Training;

namespace Latent.Models.Gans;

/// <summary>The registry entry of one GAN kind (gan, bigan, infogan): GanOptions.ForKind's defaults (the DCGAN shapes of ../shared/peers/ae_torch.py, Adam 2e-4 / 0.5) and the model classes of the family.</summary>
public sealed class GanEntry(GanKind kind, string description) : TrainedModelEntry
{
    public GanKind Kind { get; } = kind;
    public override string Name { get; } = kind.ToString().ToLowerInvariant();
    public override string Description { get; } = description;
    public override string Family => "gan";
    public override Type OptionsType => typeof(GanOptions);

    public override ModelOptions Defaults(int? latent, ImageShape shape) =>
        GanOptions.ForKind(Kind, latent ?? throw new ArgumentException($"model '{Name}' needs a latent size."), shape);

    public override ModelOptions Adapt(ModelOptions template, int? latent, ImageShape shape)
    {
        var o = Expect<GanOptions>(template);
        return o with { Latent = latent ?? o.Latent, Channels = shape.Channels, Height = shape.Height, Width = shape.Width };
    }

    public override GenerativeModel Create(ModelOptions options)
    {
        var o = Expect<GanOptions>(options);
        if (o.Kind != Kind) throw new ArgumentException($"the '{Name}' entry builds {Name} models, not {o.ModelName}.");
        return Kind switch
        {
            GanKind.Gan => new GanModel(o),
            GanKind.Bigan => new BiganModel(o),
            _ => new InfoganModel(o),
        };
    }
}

// The registry entry of one flow kind (made, maf, realnvp): FlowOptions.ForKind's defaults, and the network each
// kind builds inside a FlowModel (the model, its background and its scores are the same for every kind).
using Latent.Models.Training;
using Latent.Tensors;

namespace Latent.Models.Flows;

/// <summary>The registry entry of one flow kind (made, maf, realnvp).</summary>
public sealed class FlowEntry(FlowKind kind, string description) : TrainedModelEntry
{
    public FlowKind Kind { get; } = kind;
    public override string Name { get; } = FlowOptions.ForKind(kind, ImageShape.Gray(28, 28)).ModelName;
    public override string Description { get; } = description;
    public override string Family => "flow";
    public override Type OptionsType => typeof(FlowOptions);
    public override bool HasLatent => false;

    public override ModelOptions Defaults(int? latent, ImageShape shape) => FlowOptions.ForKind(Kind, shape);

    public override ModelOptions Adapt(ModelOptions template, int? latent, ImageShape shape) =>
        Expect<FlowOptions>(template) with { Channels = shape.Channels, Height = shape.Height, Width = shape.Width };

    public override GenerativeModel Create(ModelOptions options)
    {
        var o = Expect<FlowOptions>(options);
        if (o.Kind != Kind) throw new ArgumentException($"the '{Name}' entry builds {Name} models, not {o.ModelName}.");
        return new FlowModel(o, Network);
    }

    /// <summary>The bijection of a kind's options, drawing its initial weights from <paramref name="rng"/>.</summary>
    public static FlowNetwork Network(FlowOptions o, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(o);
        return o.Kind == FlowKind.RealNvp
            ? new RealNvpNetwork(o.Shape, o.Scales, o.Couplings, o.Hidden, rng)
            : new Maf(o.Shape, o.Blocks, o.Hidden, o.HiddenLayers, o.BatchNorm && o.Blocks > 1, rng);
    }
}

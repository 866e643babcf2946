// The registry entry of GEOM (family "self-supervised", kind "geom"): no latent size; GeomOptions.For's defaults at
// the data's geometry (square images); the model gives the transformation classifier's score (ITransformationClassifier:
// "geom" in GenerativeScores). Trained, saved and resumed as every trained kind.
using Latent.Models.Training;

namespace Latent.Models.SelfSupervised;

/// <summary>The registry entry of GEOM (family "self-supervised", kind "geom").</summary>
public sealed class GeomEntry : TrainedModelEntry
{
    public override string Name => "geom";
    public override string Description => "GEOM (Golan and El-Yaniv 2018): classifier of 8 (or 72) geometric transformations trained on the class; baseline row";
    public override string Family => "self-supervised";
    public override Type OptionsType => typeof(GeomOptions);
    public override bool HasLatent => false;

    public override ModelOptions Defaults(int? latent, ImageShape shape) => GeomOptions.For(shape);

    public override ModelOptions Adapt(ModelOptions template, int? latent, ImageShape shape)
    {
        var o = Expect<GeomOptions>(template);
        return o with { Channels = shape.Channels, Height = shape.Height, Width = shape.Width };
    }

    public override GenerativeModel Create(ModelOptions options) => new GeomModel(Expect<GeomOptions>(options));
}

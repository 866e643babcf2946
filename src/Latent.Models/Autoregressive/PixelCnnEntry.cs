// The registry entry of PixelCNN (family "autoregressive", kind "pixelcnn"): no latent size; PixelCnnOptions.For's
// defaults at the data's geometry; the model gives the exact density (IDensity: the nll and complexity scores), its
// background network (likelihood-ratio), the mean training nll (typicality) and samples (ISampler). Checkpoints
// written before the background network read as --mutation-rate 0 (no "MutationRate" in their options).
using System.Text.Json;
using Latent.Models.Training;

namespace Latent.Models.Autoregressive;

/// <summary>The registry entry of PixelCNN (family "autoregressive", kind "pixelcnn").</summary>
public sealed class PixelCnnEntry : TrainedModelEntry
{
    public override string Name => "pixelcnn";
    public override string Description => "PixelCNN (masked convolutions, 256-way softmax per pixel; exact nll)";
    public override string Family => "autoregressive";
    public override Type OptionsType => typeof(PixelCnnOptions);
    public override bool HasLatent => false;

    public override ModelOptions Defaults(int? latent, ImageShape shape) => PixelCnnOptions.For(shape);

    public override ModelOptions Adapt(ModelOptions template, int? latent, ImageShape shape)
    {
        var o = Expect<PixelCnnOptions>(template);
        return o with { Channels = shape.Channels, Height = shape.Height, Width = shape.Width };
    }

    public override ModelOptions ReadOptions(string json, string source)
    {
        var o = (PixelCnnOptions)base.ReadOptions(json, source);
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.TryGetProperty(nameof(PixelCnnOptions.MutationRate), out _) ? o : o with { MutationRate = 0f };
    }

    public override GenerativeModel Create(ModelOptions options) => new PixelCnn(Expect<PixelCnnOptions>(options));
}

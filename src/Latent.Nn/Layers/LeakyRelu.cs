// Activation layer: x if x > 0 else slope * x (torch.nn.LeakyReLU; default slope 0.01, DCGAN's D uses 0.2).
using Latent.Tensors;

namespace Latent.Nn.Layers;

/// <summary>Activation layer: x if x &gt; 0 else slope * x (torch.nn.LeakyReLU; default slope 0.01, DCGAN's D uses 0.2).</summary>
public sealed class LeakyRelu(float slope = 0.01f) : Module
{
    public float Slope { get; } = slope;

    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input.LeakyRelu(Slope);
    }
}

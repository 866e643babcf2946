// Activation layer: ln(1 + e^x), computed stably (torch.nn.Softplus, beta 1). No parameters.
using Latent.Tensors;

namespace Latent.Nn.Layers;

/// <summary>Activation layer: ln(1 + e^x), computed stably (torch.nn.Softplus, beta 1).</summary>
public sealed class Softplus : Module
{
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input.Softplus();
    }
}

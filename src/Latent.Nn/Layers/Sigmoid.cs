// Activation layer: 1 / (1 + e^-x) (torch.nn.Sigmoid). No parameters.
using Latent.Tensors;

namespace Latent.Nn.Layers;

/// <summary>Activation layer: 1 / (1 + e^-x) (torch.nn.Sigmoid).</summary>
public sealed class Sigmoid : Module
{
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input.Sigmoid();
    }
}

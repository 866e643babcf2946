// Activation layer: max(x, 0) (torch.nn.ReLU). No parameters.
using Latent.Tensors;

namespace Latent.Nn.Layers;

/// <summary>Activation layer: max(x, 0) (torch.nn.ReLU).</summary>
public sealed class Relu : Module
{
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input.Relu();
    }
}

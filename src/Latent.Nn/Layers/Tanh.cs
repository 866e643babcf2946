// Activation layer: tanh x (torch.nn.Tanh). No parameters.
using Latent.Tensors;

namespace Latent.Nn.Layers;

/// <summary>Activation layer: tanh x (torch.nn.Tanh).</summary>
public sealed class Tanh : Module
{
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input.Tanh();
    }
}

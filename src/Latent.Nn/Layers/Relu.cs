// Activation layer: max(x, 0) (torch.nn.ReLU). No parameters. With inPlace (torch's inplace=True) the result
// overwrites its input (Tensor.ReluInPlace): for the output of a convolution or linear layer that nothing else reads,
// one activation is kept instead of two.
using Latent.Tensors;

namespace Latent.Nn.Layers;

/// <summary>Activation layer: max(x, 0) (torch.nn.ReLU).</summary>
public sealed class Relu(bool inPlace = false) : Module
{
    /// <summary>True when the result overwrites the input (Tensor.ReluInPlace).</summary>
    public bool InPlace { get; } = inPlace;

    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return InPlace ? input.ReluInPlace() : input.Relu();
    }
}

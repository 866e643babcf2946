// Activation layer: x if x > 0 else slope * x (torch.nn.LeakyReLU; default slope 0.01, DCGAN's D uses 0.2). With inPlace
// (torch's inplace=True, a positive slope) the result overwrites its input (Tensor.LeakyReluInPlace), as Relu's.
using Latent.Tensors;

namespace Latent.Nn.Layers;

/// <summary>Activation layer: x if x &gt; 0 else slope * x (torch.nn.LeakyReLU; default slope 0.01, DCGAN's D uses 0.2).</summary>
public sealed class LeakyRelu(float slope = 0.01f, bool inPlace = false) : Module
{
    public float Slope { get; } = slope;

    /// <summary>True when the result overwrites the input (Tensor.LeakyReluInPlace).</summary>
    public bool InPlace { get; } = inPlace;

    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return InPlace ? input.LeakyReluInPlace(Slope) : input.LeakyRelu(Slope);
    }
}

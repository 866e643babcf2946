// Flattens every axis after the first (torch.nn.Flatten() defaults): (N, C, H, W) -> (N, C H W), in (C, H, W) order.
// A view: no copy, the gradient reshapes back.
using Latent.Tensors;

namespace Latent.Nn.Layers;

/// <summary>Flattens every axis after the first (torch.nn.Flatten() defaults): (N, C, H, W) -&gt; (N, C H W), in (C, H, W) order.</summary>
public sealed class Flatten : Module
{
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank < 1) throw new ArgumentException("Flatten needs at least a batch axis, got a scalar.");
        return input.Rank == 2 ? input : input.Reshape(input.Dim(0), input.RowLength);
    }
}

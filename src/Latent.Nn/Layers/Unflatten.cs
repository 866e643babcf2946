// Splits axis 1 into a shape (torch.nn.Unflatten(1, shape)): (N, C H W) -> (N, C, H, W). A view: no copy.
using Latent.Tensors;

namespace Latent.Nn.Layers;

/// <summary>Splits axis 1 into a shape (torch.nn.Unflatten(1, shape)): (N, C H W) -&gt; (N, C, H, W).</summary>
public sealed class Unflatten : Module
{
    private readonly int[] shape;

    public Unflatten(params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (shape.Length == 0 || shape.Any(d => d <= 0))
            throw new ArgumentException($"Unflatten needs a non-empty shape of positive sizes, got {Tensor.ShapeString(shape)}.", nameof(shape));
        this.shape = (int[])shape.Clone();
    }

    /// <summary>The shape axis 1 is split into.</summary>
    public ReadOnlySpan<int> Shape => shape;

    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        int per = shape.Aggregate(1, (a, b) => a * b);
        if (input.Rank != 2 || input.Dim(1) != per)
            throw new ArgumentException($"Unflatten to {Tensor.ShapeString(shape)} needs (N, {per}), got {Tensor.ShapeString(input.Shape)}.");
        return input.Reshape([input.Dim(0), .. shape]);
    }
}

// Fused element-wise losses (see Kernels/Losses.cs for why BCE with logits is one primitive).
using Latent.Tensors.Kernels;

namespace Latent.Tensors;

public sealed partial class Tensor
{
    /// <summary>Per-element binary cross-entropy of <paramref name="logits"/> against <paramref name="target"/>
    /// in [0, 1] (torch binary_cross_entropy_with_logits, reduction "none"); same shapes; reduce it yourself.</summary>
    public static Tensor BceWithLogits(Tensor logits, Tensor target)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(target);
        if (!logits.shape.AsSpan().SequenceEqual(target.shape))
            throw new ArgumentException($"BCE with logits: logits {ShapeString(logits.shape)} and target {ShapeString(target.shape)} must have the same shape.", nameof(target));
        Tensor y = Uninitialized(logits.shape);
        Losses.BceWithLogitsForward(logits.Data, target.Data, y.Data);
        return Record("bce_logits", y, [logits, target], static y =>
        {
            Tensor x = y.Inputs[0], t = y.Inputs[1];
            Losses.BceWithLogitsBackward(x.Data, t.Data, y.Grad!.Data,
                x.RequiresGrad ? x.EnsureGrad() : default, t.RequiresGrad ? t.EnsureGrad() : default);
        });
    }
}

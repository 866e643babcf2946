// The per-position categorical cross-entropy over the channel axis (Kernels/CategoricalKernel.cs) as a tensor op:
// logits (N, L, H, W) and integer labels (N, H, W) -> nll (N, H, W) in nats (torch cross_entropy, reduction "none").
using Latent.Tensors.Kernels;

namespace Latent.Tensors;

public sealed partial class Tensor
{
    /// <summary>-log softmax(logits)[label] at every position: logits (N, L, H, W), labels (N H W) in [0, L) -> (N, H, W).</summary>
    public static Tensor ChannelCrossEntropy(Tensor logits, int[] labels)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(labels);
        if (logits.Rank != 4) throw new ArgumentException($"channel cross-entropy expects logits (N, L, H, W); got {ShapeString(logits.shape)}.", nameof(logits));
        int n = logits.shape[0], levels = logits.shape[1], h = logits.shape[2], w = logits.shape[3];
        if (labels.Length != n * h * w) throw new ArgumentException($"channel cross-entropy: {labels.Length} labels for {n * h * w} positions of {ShapeString(logits.shape)}.", nameof(labels));
        Tensor y = Uninitialized(n, h, w);
        var lse = new float[n * h * w];
        CategoricalKernel.CrossEntropyForward(logits.Data, labels, y.Data, lse, n, levels, h * w);
        return Record("channel_cross_entropy", y, [logits], static y =>
        {
            Tensor z = y.Inputs[0];
            if (!z.RequiresGrad) return;
            var (labels, lse) = ((int[], float[]))y.OpState!;
            CategoricalKernel.CrossEntropyBackward(z.Data, labels, lse, y.Grad!.Data, z.EnsureGrad(), z.shape[0], z.shape[1], z.shape[2] * z.shape[3]);
        }, state: (labels, lse));
    }
}

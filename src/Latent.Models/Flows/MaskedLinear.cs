// A fully connected layer whose weight is multiplied by a fixed 0/1 mask (Germain et al. 2015, eq. 10):
// y = x (W . M)^T + b, x (N, In) -> y (N, Out), W and M (Out, In). The mask is not a parameter and is not saved: it
// is rebuilt from the layer's degrees (Made). Gradients reach only the unmasked weights (dW = dW_eff . M).
using Latent.Nn;
using Latent.Tensors;

namespace Latent.Models.Flows;

/// <summary>A fully connected layer whose weight is multiplied by a fixed 0/1 mask (Germain et al. 2015, eq. 10): y = x (W . M)^T + b, x (N, In) -&gt; y (N, Out), W and M (Out, In).</summary>
public sealed class MaskedLinear : Module
{
    public MaskedLinear(int inFeatures, int outFeatures, float[] mask, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(mask);
        ArgumentNullException.ThrowIfNull(rng);
        if (mask.Length != (long)inFeatures * outFeatures) throw new ArgumentException($"a {outFeatures} x {inFeatures} layer needs a mask of {inFeatures * outFeatures} values, got {mask.Length}.");
        Weight = RegisterParameter("weight", new Tensor(outFeatures, inFeatures));
        Nn.Init.PyTorchDefaultWeight(Weight, inFeatures, rng);
        Bias = RegisterParameter("bias", new Tensor(outFeatures));
        Nn.Init.PyTorchDefaultBias(Bias, inFeatures, rng);
        Mask = new Tensor(mask, outFeatures, inFeatures);
    }

    /// <summary>(Out, In).</summary>
    public Tensor Weight { get; }
    /// <summary>(Out).</summary>
    public Tensor Bias { get; }
    /// <summary>(Out, In) of 0 and 1.</summary>
    public Tensor Mask { get; }

    /// <summary>(N, In) -> (N, Out).</summary>
    public override Tensor Forward(Tensor input) => Tensor.Linear(input, Weight * Mask, Bias);
}

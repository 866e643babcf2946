// Fully connected layer y = x W^T + b (torch.nn.Linear): x (N, In) -> y (N, Out), weight (Out, In), bias (Out).
// Default init is PyTorch's (Init.PyTorchDefaultWeight / PyTorchDefaultBias with fan_in = In).
using Latent.Tensors;

namespace Latent.Nn.Layers;

/// <summary>Fully connected layer y = x W^T + b (torch.nn.Linear): x (N, In) -&gt; y (N, Out), weight (Out, In), bias (Out).</summary>
public sealed class Linear : Module
{
    public Linear(int inFeatures, int outFeatures, Rng rng, bool bias = true)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (inFeatures <= 0 || outFeatures <= 0)
            throw new ArgumentOutOfRangeException(nameof(inFeatures), $"Linear needs positive sizes, got In={inFeatures}, Out={outFeatures}.");
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        (Weight, Bias) = RegisterPyTorchDefault(new Tensor(outFeatures, inFeatures), inFeatures, bias, outFeatures, rng);
    }

    public int InFeatures { get; }
    public int OutFeatures { get; }

    /// <summary>(Out, In).</summary>
    public Tensor Weight { get; }

    /// <summary>(Out), or null without bias.</summary>
    public Tensor? Bias { get; }

    /// <summary>(N, In) -> (N, Out).</summary>
    public override Tensor Forward(Tensor input) => Tensor.Linear(input, Weight, Bias);
}

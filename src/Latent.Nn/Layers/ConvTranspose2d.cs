// 2-D transposed convolution layer (torch.nn.ConvTranspose2d, dilation 1, groups 1): x (N, C, H, W) -> (N, F, OH, OW),
// OH = (H - 1) stride - 2 padding + K + outputPadding. Parameters "weight" (C, F, K, K) and "bias" (F).
// Default init is PyTorch's: kaiming_uniform(a = sqrt(5)) and bias U(+-1/sqrt(fan_in)) where, as in PyTorch,
// fan_in is computed from the weight's second axis: F K K.
using Latent.Tensors;
using Latent.Tensors.Ops;

namespace Latent.Nn.Layers;

/// <summary>2-D transposed convolution layer (torch.nn.ConvTranspose2d, dilation 1, groups 1): x (N, C, H, W) -&gt; (N, F, OH, OW), OH = (H - 1) stride - 2 padding + K + outputPadding.</summary>
public sealed class ConvTranspose2d : Module
{
    public ConvTranspose2d(int inChannels, int outChannels, int kernelSize, Rng rng, int stride = 1, int padding = 0,
        int outputPadding = 0, bool bias = true)
    {
        ArgumentNullException.ThrowIfNull(rng);
        Conv2d.CheckSizes(nameof(ConvTranspose2d), inChannels, outChannels, kernelSize, stride, padding);
        if (outputPadding < 0 || outputPadding >= stride)
            throw new ArgumentOutOfRangeException(nameof(outputPadding), $"ConvTranspose2d output padding must be in [0, stride) = [0, {stride}), got {outputPadding}.");
        InChannels = inChannels; OutChannels = outChannels; KernelSize = kernelSize;
        Stride = stride; Padding = padding; OutputPadding = outputPadding;
        (Weight, Bias) = RegisterPyTorchDefault(new Tensor(inChannels, outChannels, kernelSize, kernelSize), outChannels * kernelSize * kernelSize, bias, outChannels, rng);
    }

    public int InChannels { get; }
    public int OutChannels { get; }
    public int KernelSize { get; }
    public int Stride { get; }
    public int Padding { get; }
    public int OutputPadding { get; }

    /// <summary>(C, F, K, K).</summary>
    public Tensor Weight { get; }

    /// <summary>(F), or null without bias.</summary>
    public Tensor? Bias { get; }

    /// <summary>(N, C, H, W) -> (N, F, OH, OW).</summary>
    public override Tensor Forward(Tensor input) => ForwardWith(input, Weight);

    /// <summary>The same transposed convolution with another weight (SpectralNorm passes the normalised one).</summary>
    internal Tensor ForwardWith(Tensor input, Tensor weight) =>
        ConvOps.ConvTranspose2d(input, weight, Bias, Stride, Padding, OutputPadding);
}

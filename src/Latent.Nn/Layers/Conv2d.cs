// 2-D convolution layer (torch.nn.Conv2d, dilation 1, groups 1): x (N, C, H, W) -> y (N, F, OH, OW),
// OH = floor((H + 2 padding - K) / stride) + 1. Parameters "weight" (F, C, K, K) and "bias" (F).
// Default init is PyTorch's: kaiming_uniform(a = sqrt(5)) and bias U(+-1/sqrt(fan_in)), fan_in = C K K.
using Latent.Tensors;
using Latent.Tensors.Ops;

namespace Latent.Nn.Layers;

/// <summary>2-D convolution layer (torch.nn.Conv2d, dilation 1, groups 1): x (N, C, H, W) -&gt; y (N, F, OH, OW), OH = floor((H + 2 padding - K) / stride) + 1. Parameters "weight" (F, C, K, K) and "bias" (F).</summary>
public sealed class Conv2d : Module
{
    public Conv2d(int inChannels, int outChannels, int kernelSize, Rng rng, int stride = 1, int padding = 0, bool bias = true)
    {
        ArgumentNullException.ThrowIfNull(rng);
        CheckSizes(nameof(Conv2d), inChannels, outChannels, kernelSize, stride, padding);
        InChannels = inChannels; OutChannels = outChannels; KernelSize = kernelSize; Stride = stride; Padding = padding;
        (Weight, Bias) = RegisterPyTorchDefault(new Tensor(outChannels, inChannels, kernelSize, kernelSize), inChannels * kernelSize * kernelSize, bias, outChannels, rng);
    }

    /// <summary>The sizes a convolution layer (<paramref name="layer"/>: Conv2d or ConvTranspose2d) accepts: positive
    /// channels, kernel and stride, non-negative padding.</summary>
    internal static void CheckSizes(string layer, int inChannels, int outChannels, int kernelSize, int stride, int padding)
    {
        if (inChannels <= 0 || outChannels <= 0 || kernelSize <= 0 || stride <= 0 || padding < 0)
            throw new ArgumentOutOfRangeException(nameof(inChannels),
                $"{layer} needs positive channels, kernel and stride and non-negative padding, got in {inChannels}, out {outChannels}, kernel {kernelSize}, stride {stride}, padding {padding}.");
    }

    public int InChannels { get; }
    public int OutChannels { get; }
    public int KernelSize { get; }
    public int Stride { get; }
    public int Padding { get; }

    /// <summary>(F, C, K, K).</summary>
    public Tensor Weight { get; }

    /// <summary>(F), or null without bias.</summary>
    public Tensor? Bias { get; }

    /// <summary>(N, C, H, W) -> (N, F, OH, OW).</summary>
    public override Tensor Forward(Tensor input) => ConvOps.Conv2d(input, Weight, Bias, Stride, Padding);

    /// <summary>The same convolution with another weight (SpectralNorm passes the normalised one).</summary>
    internal Tensor ForwardWith(Tensor input, Tensor weight) => ConvOps.Conv2d(input, weight, Bias, Stride, Padding);
}

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
        if (inChannels <= 0 || outChannels <= 0 || kernelSize <= 0 || stride <= 0 || padding < 0)
            throw new ArgumentOutOfRangeException(nameof(inChannels),
                $"Conv2d needs positive channels, kernel and stride and non-negative padding, got in {inChannels}, out {outChannels}, kernel {kernelSize}, stride {stride}, padding {padding}.");
        InChannels = inChannels; OutChannels = outChannels; KernelSize = kernelSize; Stride = stride; Padding = padding;
        int fanIn = inChannels * kernelSize * kernelSize;
        Weight = RegisterParameter("weight", new Tensor(outChannels, inChannels, kernelSize, kernelSize));
        Init.PyTorchDefaultWeight(Weight, fanIn, rng);
        if (bias)
        {
            Bias = RegisterParameter("bias", new Tensor(outChannels));
            Init.PyTorchDefaultBias(Bias, fanIn, rng);
        }
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

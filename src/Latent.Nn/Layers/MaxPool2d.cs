// Max pooling layer (torch.nn.MaxPool2d, dilation 1, floor mode): (N, C, H, W) -> (N, C, OH, OW); stride defaults to the kernel size.
using Latent.Tensors;
using Latent.Tensors.Ops;

namespace Latent.Nn.Layers;

/// <summary>Max pooling layer (torch.nn.MaxPool2d, dilation 1, floor mode): (N, C, H, W) -&gt; (N, C, OH, OW); stride defaults to the kernel size.</summary>
public sealed class MaxPool2d(int kernelSize, int? stride = null, int padding = 0) : Module
{
    public int KernelSize { get; } = kernelSize;
    public int Stride { get; } = stride ?? kernelSize;
    public int Padding { get; } = padding;

    public override Tensor Forward(Tensor input) => PoolOps.MaxPool2d(input, KernelSize, Stride, Padding);
}

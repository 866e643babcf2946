// Average pooling layer (torch.nn.AvgPool2d defaults: count_include_pad, floor mode): (N, C, H, W) -> (N, C, OH, OW);
// stride defaults to the kernel size.
using Latent.Tensors;
using Latent.Tensors.Ops;

namespace Latent.Nn.Layers;

/// <summary>Average pooling layer (torch.nn.AvgPool2d defaults: count_include_pad, floor mode): (N, C, H, W) -&gt; (N, C, OH, OW); stride defaults to the kernel size.</summary>
public sealed class AvgPool2d(int kernelSize, int? stride = null, int padding = 0) : Module
{
    public int KernelSize { get; } = kernelSize;
    public int Stride { get; } = stride ?? kernelSize;
    public int Padding { get; } = padding;

    public override Tensor Forward(Tensor input) => PoolOps.AvgPool2d(input, KernelSize, Stride, Padding);
}

// Batch normalisation over the channels of x (N, C, H, W) (torch.nn.BatchNorm2d; Ioffe and Szegedy 2015).
// Parameters, buffers and modes: see BatchNormBase.
using Latent.Tensors;

namespace Latent.Nn.Layers;

/// <summary>Batch normalisation over the channels of x (N, C, H, W) (torch.nn.BatchNorm2d; Ioffe and Szegedy 2015).</summary>
public sealed class BatchNorm2d(int channels, float momentum = 0.1f, float eps = 1e-5f, bool affine = true)
    : BatchNormBase(channels, momentum, eps, affine)
{
    private protected override void CheckRank(Tensor input)
    {
        if (input.Rank != 4) throw new ArgumentException($"BatchNorm2d expects (N, C, H, W), got {Tensor.ShapeString(input.Shape)}; use BatchNorm1d for (N, C).");
    }
}

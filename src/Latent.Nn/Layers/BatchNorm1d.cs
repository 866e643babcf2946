// Batch normalisation over the features of x (N, C) or (N, C, L) (torch.nn.BatchNorm1d; Ioffe and Szegedy 2015).
// Parameters, buffers and modes: see BatchNormBase.
using Latent.Tensors;

namespace Latent.Nn.Layers;

/// <summary>Batch normalisation over the features of x (N, C) or (N, C, L) (torch.nn.BatchNorm1d; Ioffe and Szegedy 2015).</summary>
public sealed class BatchNorm1d(int features, float momentum = 0.1f, float eps = 1e-5f, bool affine = true)
    : BatchNormBase(features, momentum, eps, affine)
{
    private protected override void CheckRank(Tensor input)
    {
        if (input.Rank is not (2 or 3)) throw new ArgumentException($"BatchNorm1d expects (N, C) or (N, C, L), got {Tensor.ShapeString(input.Shape)}; use BatchNorm2d for images.");
    }
}

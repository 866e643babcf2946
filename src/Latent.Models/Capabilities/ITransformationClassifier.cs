// Capability: a classifier of the geometric transformations applied to an image, trained on the normal class only
// (GEOM, Golan and El-Yaniv 2018), which scores an image by how badly it recognises the transformations applied to
// it. Score "geom" = -sum_t log p(t | T_t(x)) over the T transformations (the paper's simplified score, negated so
// that higher = more novel), in nats.
using Latent.Tensors;

namespace Latent.Models;

/// <summary>Capability: a classifier of the geometric transformations applied to an image, trained on the normal class only (GEOM).</summary>
public interface ITransformationClassifier
{
    /// <summary>T, the number of transformations the classifier tells apart.</summary>
    int Transformations { get; }

    /// <summary>-sum_t log p(t | T_t(x)) per sample, in nats: (N, C, H, W) images -> (N).</summary>
    Tensor TransformationNll(Tensor x);
}

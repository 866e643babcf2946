// Options shared by the class models; each model reads the ones that concern it.
namespace Latent.Models;

public sealed record ClassModelOptions
{
    /// <summary>Latent sizes to evaluate (models with a latent space); empty for the rest.</summary>
    public IReadOnlyList<int> Latents { get; init; } = [];

    /// <summary>k of the k-th nearest neighbour (knn).</summary>
    public int Neighbours { get; init; } = 1;

    public Classical.DistanceMetric Metric { get; init; } = Classical.DistanceMetric.Euclidean;

    /// <summary>Per-pixel variance floor of the diagonal Gaussian.</summary>
    public double VarianceFloor { get; init; } = Classical.DiagonalGaussian.DefaultVarianceFloor;

    /// <summary>Seed of every random draw (models that draw none ignore it).</summary>
    public int Seed { get; init; }
}

// The contract of a class model: fitted on examples of one class, it scores any sample with one or
// more named novelty scores (higher = more novel). Fitting is the model's constructor or factory.
namespace Latent.Models;

/// <summary>The contract of a class model: fitted on examples of one class, it scores any sample with one or more named novelty scores (higher = more novel).</summary>
public interface IClassModel
{
    /// <summary>The model's name on the command line ("pca", "gaussian", "knn", ...).</summary>
    string Name { get; }

    /// <summary>The latent size, or null for models that have none.</summary>
    int? Latent { get; }

    /// <summary>The scores this model computes, in a stable order.</summary>
    IReadOnlyList<ScoreInfo> Scores { get; }

    /// <summary>Every score for every sample: name -> (N) values.</summary>
    IReadOnlyDictionary<string, double[]> Score(Samples x);
}

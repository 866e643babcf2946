// Capability: the mean negative log-likelihood of the training class, fitted after training (Nalisnick et al. 2019,
// "Detecting out-of-distribution inputs to deep generative models using typicality"): the typicality score is the
// distance of an image's nll from it, since a high-dimensional model's typical set lies far from its mode.
namespace Latent.Models;

/// <summary>Capability: the mean negative log-likelihood of the training class, fitted after training, from which the typicality score measures an image's distance (Nalisnick et al. 2019).</summary>
public interface ITypicalDensity
{
    /// <summary>Mean -log P(x) over (up to a few thousand) training images, in nats: 0 in a new model until fitted,
    /// NaN when the model has none (a checkpoint written before its kind kept one: then no typicality score).</summary>
    double MeanTrainingNll { get; }
}

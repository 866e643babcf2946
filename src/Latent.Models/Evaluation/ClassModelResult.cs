// One row of a class-modelling evaluation: which class was modelled (real), what it was tested
// against (fake), by which model, latent size and score, and the figures of merit.
namespace Latent.Models.Evaluation;

public sealed record ClassModelResult(
    string Real, string Fake, string Model, int? Latent, string Score,
    double BalancedError, double PooledError, double Auroc, double Threshold);

// One row of a class-modelling evaluation: which class was modelled (real), what it was tested
// against (fake), by which model, latent size and score, and the figures of merit, with the 95 % bootstrap interval
// of the balanced error (BalancedErrorInterval).
namespace Latent.Models.Evaluation;

/// <summary>One row of a class-modelling evaluation.</summary>
public sealed record ClassModelResult(
    string Real, string Fake, string Model, int? Latent, string Score,
    double BalancedError, double PooledError, double Auroc, double Threshold,
    double BalancedErrorLow = double.NaN, double BalancedErrorHigh = double.NaN);

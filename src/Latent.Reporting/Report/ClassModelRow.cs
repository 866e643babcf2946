// One line of a class-modelling results table: which classes, which model and latent size, which score, and
// the figures (peers/mnist_io.py errors_and_auc): errors as fractions in [0, 1] (shown as percent), AUROC,
// and the threshold (fake iff score > threshold). Optional raw test scores feed the histogram and ROC plots.
namespace Latent.Reporting.Report;

/// <summary>One line of a class-modelling results table.</summary>
public sealed record ClassModelRow(
    string Real,
    string Fake,
    string Model,
    int? Latent,
    string Score,
    double BalancedError,
    double PooledError,
    double Auroc,
    double Threshold)
{
    /// <summary>The 95 % bootstrap interval of the balanced error (NaN when not computed).</summary>
    public double BalancedErrorLow { get; init; } = double.NaN;
    public double BalancedErrorHigh { get; init; } = double.NaN;

    /// <summary>Scores of the real test samples (higher = more fake); empty for no plots.</summary>
#pragma warning disable CA1819 // Score arrays are handed over from the model as they are; copying them would be waste.
    public double[] RealScores { get; init; } = [];

    /// <summary>Scores of the fake test samples.</summary>
    public double[] FakeScores { get; init; } = [];
#pragma warning restore CA1819

    /// <summary>"PCA, k = 16, recon": model, latent size (if any) and score.</summary>
    public string Caption => Latent is { } k ? $"{Model}, k = {k}, {Score}" : $"{Model}, {Score}";
}

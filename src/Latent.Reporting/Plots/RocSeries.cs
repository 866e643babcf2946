// One ROC curve to draw: a name, real and fake scores, and optionally the chosen threshold to mark.
namespace Latent.Reporting.Plots;

/// <summary>One ROC curve to draw: a name, real and fake scores, and optionally the chosen threshold to mark.</summary>
public sealed record RocSeries(string Name, double[] Real, double[] Fake, double? Threshold = null);

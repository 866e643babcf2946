// One line of a line plot: a name and (x, y) points; a non-finite y breaks the line there.
namespace Latent.Reporting.Plots;

/// <summary>One line of a line plot: a name and (x, y) points; a non-finite y breaks the line there.</summary>
public sealed record LineSeries(string Name, double[] X, double[] Y);

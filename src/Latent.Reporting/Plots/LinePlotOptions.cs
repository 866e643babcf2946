// Options of LinePlot.
namespace Latent.Reporting.Plots;

/// <summary>A line plot's x axis: linear, logarithmic, or chosen from the data.</summary>
public enum AxisKind
{
    /// <summary>Logarithmic when every x is positive and they span a factor of 8 or more, else linear.</summary>
    Auto,
    Linear,
    Log,
}

/// <summary>Options of LinePlot: title, axis labels, x axis kind, whether y starts at 0, and size.</summary>
public sealed class LinePlotOptions
{
    public string? Title { get; init; }
    public string XLabel { get; init; } = "latent size";
    public string YLabel { get; init; } = "balanced error (%)";
    public AxisKind XAxis { get; init; } = AxisKind.Auto;

    /// <summary>Start the y axis at 0 (errors, rates) rather than at the data minimum.</summary>
    public bool IncludeZero { get; init; } = true;

    public double Width { get; init; } = 560;
    public double Height { get; init; } = 330;
}

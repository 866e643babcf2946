// Options of HistogramPlot.
namespace Latent.Reporting.Plots;

/// <summary>Options of HistogramPlot.</summary>
public sealed class HistogramPlotOptions
{
    public string? Title { get; init; }
    public string XLabel { get; init; } = "score (higher = more fake)";
    public string YLabel { get; init; } = "fraction of samples";
    public string RealLabel { get; init; } = "real";
    public string FakeLabel { get; init; } = "fake";

    /// <summary>The decision threshold to mark (fake iff score &gt; threshold); null or NaN for none.</summary>
    public double? Threshold { get; init; }

    /// <summary>Number of bins; 0 chooses the Rice rule 2 n^(1/3) for the pooled count, between 8 and 60.</summary>
    public int Bins { get; init; }
    public double Width { get; init; } = 560;
    public double Height { get; init; } = 330;
}

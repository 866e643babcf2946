// Latent codes of test samples for the latent-space section: (Count, Dims) row-major; with Dims = 2 and
// classes given, a scatter plot is drawn as well as the per-dimension density strips.
namespace Latent.Reporting.Report;

/// <summary>Latent codes of test samples for the latent-space section: (Count, Dims) row-major; with Dims = 2 and classes given, a scatter plot is drawn as well as the per-dimension density strips.</summary>
public sealed record LatentCodes(string Name, float[] Z, int Count, int Dims)
{
    /// <summary>Optional class per sample (0-based) for colouring, with names.</summary>
#pragma warning disable CA1819 // Handed over as computed; a report only reads them.
    public int[]? Classes { get; init; }
#pragma warning restore CA1819

    public IReadOnlyList<string>? ClassNames { get; init; }
}

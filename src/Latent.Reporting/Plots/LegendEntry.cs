// One legend entry: a label and how its key is drawn.
namespace Latent.Reporting.Plots;

public enum LegendKey
{
    Swatch,
    Line,
    Dashed,
    Dot,
}

public sealed record LegendEntry(string Label, string Color, LegendKey Key);

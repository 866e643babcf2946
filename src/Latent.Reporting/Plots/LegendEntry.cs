// One legend entry: a label and how its key is drawn.
namespace Latent.Reporting.Plots;

/// <summary>How a legend entry's key is drawn: a swatch, a line (solid or dashed), a dot or a ring.</summary>
public enum LegendKey
{
    Swatch,
    Line,
    Dashed,
    Dot,
    /// <summary>A hollow circle, as for an operating point.</summary>
    Ring,
}

/// <summary>A legend entry; <paramref name="Dash"/> is an SVG stroke-dasharray for Line keys ("" for solid).</summary>
public sealed record LegendEntry(string Label, string Color, LegendKey Key, string Dash = "");

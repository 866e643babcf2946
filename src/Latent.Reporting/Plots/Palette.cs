// Colours for plots: the Okabe-Ito palette, distinguishable with the common colour-vision deficiencies.
// Reference: Okabe & Ito (2008), "Color Universal Design"; real = blue, fake = vermillion throughout.
namespace Latent.Reporting.Plots;

/// <summary>Colours for plots: the Okabe-Ito palette, distinguishable with the common colour-vision deficiencies.</summary>
public static class Palette
{
    public const string Real = "#0072B2";
    public const string Fake = "#D55E00";
    public const string Threshold = "#1f2430";
    public const string Grid = "#e3e6eb";
    public const string Axis = "#8a909c";

    private static readonly string[] Series = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"];

    private static readonly string[] Dashes = ["", "7 3", "2 2.5", "9 3 2 3"];

    /// <summary>The stroke-dasharray of series number <paramref name="i"/>: lines that coincide stay distinguishable, also in print.</summary>
    public static string Dash(int i) => Dashes[((i % Dashes.Length) + Dashes.Length) % Dashes.Length];

    /// <summary>The colour of series number <paramref name="i"/> (cycles after eight).</summary>
    public static string Color(int i) => Series[((i % Series.Length) + Series.Length) % Series.Length];
}

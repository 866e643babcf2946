// A card of a report's "Explanations and training alarms" section: a title, a subtitle, lines of text and an
// optional PNG (an explained image with its reconstruction, residual map and nearest training images). Plain data.
namespace Latent.Reporting.Report;

/// <summary>A card of a report's "Explanations and training alarms" section.</summary>
public sealed record ReportCard(string Title, string Subtitle, IReadOnlyList<string> Lines)
{
    /// <summary>The card's picture (PNG bytes) and its size in pixels; null for a text-only card.</summary>
    public byte[]? Png { get; init; }
    public int PngWidth { get; init; }
    public int PngHeight { get; init; }

    /// <summary>The picture's alternative text.</summary>
    public string Alt { get; init; } = "";
}

// A tiny built-in monospaced font for labels drawn into images: printable ASCII, 7 x 14 pixel cells,
// anti-aliased coverage (glyph data in GlyphFont.Data.cs). Characters outside 32..126 draw as '?'.
namespace Latent.Reporting.Images;

/// <summary>A tiny built-in monospaced font (printable ASCII, 7 x 14 pixel cells) for labels drawn into images.</summary>
public static partial class GlyphFont
{
    /// <summary>Advance and cell width in pixels.</summary>
    public const int CellWidth = 7;

    /// <summary>Line height in pixels (ascent 11, descent 3).</summary>
    public const int CellHeight = 14;

    private static readonly byte[] Coverage = Convert.FromBase64String(CoverageBase64); // (95, 14, 7)

    /// <summary>Width in pixels of <paramref name="text"/> on one line.</summary>
    public static int MeasureWidth(string text) => (text?.Length ?? 0) * CellWidth;

    /// <summary>
    /// Draws <paramref name="text"/> into an 8-bit single-channel canvas (height, width) with its top-left
    /// corner at (x, y), blending <paramref name="ink"/> over the canvas by glyph coverage; clipped at the edges.
    /// </summary>
    public static void Draw(Span<byte> canvas, int width, int height, string text, int x, int y, byte ink)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (canvas.Length != width * height)
            throw new ArgumentException($"Canvas of {width} x {height} needs {width * height} bytes, got {canvas.Length}.", nameof(canvas));
        for (int k = 0; k < text.Length; k++)
        {
            char ch = text[k] is >= ' ' and <= '~' ? text[k] : '?';
            ReadOnlySpan<byte> glyph = Coverage.AsSpan((ch - 32) * CellWidth * CellHeight, CellWidth * CellHeight);
            int gx = x + k * CellWidth;
            for (int r = 0; r < CellHeight; r++)
            {
                int py = y + r;
                if ((uint)py >= (uint)height) continue;
                for (int c = 0; c < CellWidth; c++)
                {
                    int px = gx + c, cov = glyph[r * CellWidth + c];
                    if ((uint)px >= (uint)width || cov == 0) continue;
                    ref byte dst = ref canvas[py * width + px];
                    dst = (byte)(dst + ((ink - dst) * cov + 127) / 255);
                }
            }
        }
    }
}

// The IHDR chunk of a PNG file: size, bit depth, colour type, interlacing; and the sizes they imply, in checked
// 64-bit arithmetic (a 2^31 - 1 square header must give a number, never an overflow).
// Reference: PNG specification (W3C, 3rd ed.), sections 11.2.1 (IHDR), 7.2 (scanlines), 8.2 (Adam7).
using System.Buffers.Binary;

namespace Latent.Data.Png;

/// <summary>A PNG header. <see cref="ColorType"/>: 0 gray, 2 RGB, 3 palette, 4 gray + alpha, 6 RGBA;
/// <see cref="BitDepth"/> 1, 2, 4, 8 or 16 bits per sample.</summary>
public sealed record PngHeader(int Width, int Height, int BitDepth, int ColorType, bool Interlaced)
{
    /// <summary>Width x height, as a 64-bit number (at most (2^31 - 1)^2).</summary>
    public long Pixels => (long)Width * Height;

    /// <summary>Samples per pixel as stored: palette indices count as one.</summary>
    public int SamplesPerPixel => ColorType switch { 0 => 1, 2 => 3, 3 => 1, 4 => 2, _ => 4 };

    /// <summary>Parses the 13 data bytes of IHDR; every field is checked against the specification.</summary>
    public static PngHeader Parse(ReadOnlySpan<byte> d)
    {
        if (d.Length != 13) throw new InvalidDataException($"PNG IHDR chunk has {d.Length} bytes, expected 13.");
        uint w = BinaryPrimitives.ReadUInt32BigEndian(d), h = BinaryPrimitives.ReadUInt32BigEndian(d[4..]);
        int depth = d[8], color = d[9];
        if (w == 0 || h == 0 || w > int.MaxValue || h > int.MaxValue)
            throw new InvalidDataException($"PNG image size {w} x {h} is invalid: both must be between 1 and 2^31 - 1.");
        bool ok = color switch
        {
            0 => depth is 1 or 2 or 4 or 8 or 16,
            3 => depth is 1 or 2 or 4 or 8,
            2 or 4 or 6 => depth is 8 or 16,
            _ => false,
        };
        if (!ok) throw new InvalidDataException($"PNG colour type {color} with bit depth {depth} is not a valid combination.");
        if (d[10] != 0) throw new InvalidDataException($"PNG compression method {d[10]} is unknown; only 0 (deflate) exists.");
        if (d[11] != 0) throw new InvalidDataException($"PNG filter method {d[11]} is unknown; only 0 exists.");
        if (d[12] > 1) throw new InvalidDataException($"PNG interlace method {d[12]} is unknown; only 0 (none) and 1 (Adam7) exist.");
        return new PngHeader((int)w, (int)h, depth, color, d[12] == 1);
    }

    /// <summary>(x0, y0, dx, dy) of each pass: one for a plain image, seven for Adam7 (section 8.2).</summary>
    internal IEnumerable<(int X0, int Y0, int Dx, int Dy)> Passes() => Interlaced
        ? [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]
        : [(0, 0, 1, 1)];

    /// <summary>Pixels (pw, ph) of the pass starting at (x0, y0) with steps (dx, dy); zero when it is empty.</summary>
    internal (long W, long H) PassSize(int x0, int y0, int dx, int dy) =>
        Width <= x0 || Height <= y0 ? (0, 0) : ((Width - x0 + (long)dx - 1) / dx, (Height - y0 + (long)dy - 1) / dy);

    /// <summary>Bytes of one filtered row of <paramref name="pixels"/> (at most 2^31) pixels, without its
    /// filter-type byte: at most 2^37, so no overflow.</summary>
    internal long RowBytes(long pixels) => (pixels * SamplesPerPixel * BitDepth + 7) / 8;

    /// <summary>Bytes of the decompressed stream: per pass, rows of (1 filter byte + packed samples). Up to
    /// 2^65 for the largest legal header, so the sum is taken in 128 bits and saturates at long.MaxValue.</summary>
    public long FilteredSize()
    {
        Int128 total = 0;
        foreach ((int x0, int y0, int dx, int dy) in Passes())
        {
            (long pw, long ph) = PassSize(x0, y0, dx, dy);
            if (pw > 0 && ph > 0) total += (Int128)ph * (1 + RowBytes(pw));
        }
        return total > long.MaxValue ? long.MaxValue : (long)total;
    }
}

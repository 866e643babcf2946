// PNG decoder: every standard colour type and bit depth (1, 2, 4, 8, 16), palette with tRNS alpha, all five
// filters, Adam7 interlacing; CRCs checked. Output is always 8 bits per sample: 16-bit samples are rounded to
// 8 bits, 1/2/4-bit gray is scaled to 0..255, palette images expand to RGB (RGBA when tRNS is present).
// Deliberately left out: gamma/colour-space chunks (gAMA, iCCP, sRGB) are ignored, as are tRNS colour keys of
// gray and RGB images (a single transparent colour; no alpha channel is synthesised for it).
// Reference: PNG specification (W3C, 3rd ed.), sections 5, 7, 8.2 (Adam7), 11.2 (critical chunks), 13.
using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Latent.Reporting.Png;

public static class PngDecoder
{
    private const long MaxPixels = 1L << 28;

    /// <summary>Decodes the PNG file at <paramref name="path"/>; errors name the file.</summary>
    public static PngImage Load(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        try
        {
            return Decode(bytes);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
    }

    /// <summary>Decodes a complete PNG file image. Malformed or truncated data throws <see cref="InvalidDataException"/>.</summary>
    public static PngImage Decode(ReadOnlySpan<byte> png)
    {
        if (png.Length < 8 || !png[..8].SequenceEqual(PngEncoder.Signature))
            throw new InvalidDataException(png.Length < 8
                ? $"Not a PNG file: only {png.Length} bytes, shorter than the 8-byte PNG signature."
                : "Not a PNG file: the first 8 bytes are not the PNG signature (89 50 4E 47 0D 0A 1A 0A).");

        Header? header = null;
        byte[]? palette = null, paletteAlpha = null;
        using var idat = new MemoryStream();
        bool ended = false;
        int pos = 8;
        while (pos < png.Length)
        {
            if (png.Length - pos < 12)
                throw new InvalidDataException($"PNG file is truncated: {png.Length - pos} stray bytes at offset {pos}, too few for a chunk.");
            uint length = BinaryPrimitives.ReadUInt32BigEndian(png[pos..]);
            ReadOnlySpan<byte> typeBytes = png.Slice(pos + 4, 4);
            string type = Encoding.ASCII.GetString(typeBytes);
            if (length > int.MaxValue || png.Length - pos - 12 < length)
                throw new InvalidDataException(
                    $"PNG file is truncated: chunk '{type}' at offset {pos} declares {length} bytes but only {Math.Max(0, png.Length - pos - 12)} remain.");
            ReadOnlySpan<byte> data = png.Slice(pos + 8, (int)length);
            uint stored = BinaryPrimitives.ReadUInt32BigEndian(png[(pos + 8 + (int)length)..]);
            uint actual = Crc32.Update(Crc32.Update(0xFFFFFFFFu, typeBytes), data) ^ 0xFFFFFFFFu;
            if (stored != actual)
                throw new InvalidDataException($"PNG chunk '{type}' at offset {pos} is corrupt: CRC {stored:X8} stored, {actual:X8} computed.");
            pos += 12 + (int)length;

            if (header is null && type != "IHDR")
                throw new InvalidDataException($"PNG file is malformed: the first chunk is '{type}', expected 'IHDR'.");
            switch (type)
            {
                case "IHDR":
                    if (header is not null) throw new InvalidDataException("PNG file is malformed: more than one IHDR chunk.");
                    header = Header.Parse(data);
                    break;
                case "PLTE":
                    if (length % 3 != 0 || length == 0 || length > 768)
                        throw new InvalidDataException($"PNG PLTE chunk has {length} bytes; it must hold 1 to 256 RGB entries (a multiple of 3).");
                    palette = data.ToArray();
                    break;
                case "tRNS":
                    if (header!.ColorType == 3) paletteAlpha = data.ToArray();
                    break;
                case "IDAT":
                    idat.Write(data);
                    break;
                case "IEND":
                    ended = true;
                    break;
                default:
                    if ((typeBytes[0] & 0x20) == 0)
                        throw new InvalidDataException($"PNG file uses the critical chunk '{type}', which this decoder does not know.");
                    break; // ancillary: safe to ignore
            }
            if (ended) break;
        }
        if (header is null) throw new InvalidDataException("PNG file is truncated: no IHDR chunk after the signature.");
        if (!ended) throw new InvalidDataException("PNG file is truncated: it ends before the IEND chunk.");
        if (idat.Length == 0) throw new InvalidDataException("PNG file has no image data (no IDAT chunk).");
        if (header.ColorType == 3 && palette is null)
            throw new InvalidDataException("PNG palette image (colour type 3) has no PLTE chunk.");

        byte[] raw = Inflate(idat, header.FilteredSize());
        return Reconstruct(header, raw, palette, paletteAlpha);
    }

    private static byte[] Inflate(MemoryStream idat, long expected)
    {
        var raw = new byte[expected];
        idat.Position = 0;
        int got;
        try
        {
            using var z = new ZLibStream(idat, CompressionMode.Decompress);
            got = z.ReadAtLeast(raw, raw.Length, throwOnEndOfStream: false);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"PNG image data (IDAT) is not valid zlib data: {e.Message}", e);
        }
        if (got < raw.Length)
            throw new InvalidDataException($"PNG image data is truncated: {got} of {raw.Length} bytes after decompression.");
        return raw;
    }

    private static PngImage Reconstruct(Header h, byte[] raw, byte[]? palette, byte[]? paletteAlpha)
    {
        PixelFormat format = h.ColorType switch
        {
            0 => PixelFormat.Gray8,
            2 => PixelFormat.Rgb8,
            3 => paletteAlpha is null ? PixelFormat.Rgb8 : PixelFormat.Rgba8,
            4 => PixelFormat.GrayAlpha8,
            _ => PixelFormat.Rgba8,
        };
        int outC = (int)format;
        var pixels = new byte[(long)h.Width * h.Height * outC];
        int samples = h.SamplesPerPixel, bitsPerPixel = samples * h.BitDepth, bpp = Math.Max(1, bitsPerPixel / 8);
        int offset = 0;
        foreach ((int x0, int y0, int dx, int dy) in h.Passes())
        {
            int pw = (h.Width - x0 + dx - 1) / dx, ph = (h.Height - y0 + dy - 1) / dy;
            if (pw <= 0 || ph <= 0) continue;
            int stride = (int)(((long)pw * bitsPerPixel + 7) / 8);
            var prior = new byte[stride];
            for (int j = 0; j < ph; j++)
            {
                int filterType = raw[offset];
                if (filterType > 4)
                    throw new InvalidDataException($"PNG row {j} has filter type {filterType}; only 0 (None) to 4 (Paeth) exist.");
                Span<byte> row = raw.AsSpan(offset + 1, stride);
                PngFilters.Unfilter((PngFilter)filterType, prior, bpp, row);
                int y = y0 + j * dy;
                for (int i = 0; i < pw; i++)
                {
                    Span<byte> dst = pixels.AsSpan((int)(((long)y * h.Width + x0 + i * dx) * outC), outC);
                    if (h.ColorType == 3)
                    {
                        int index = Sample(row, i, h.BitDepth);
                        if (index * 3 + 2 >= palette!.Length)
                            throw new InvalidDataException($"PNG pixel ({x0 + i * dx}, {y}) uses palette entry {index}, but PLTE has only {palette.Length / 3}.");
                        dst[0] = palette[index * 3];
                        dst[1] = palette[index * 3 + 1];
                        dst[2] = palette[index * 3 + 2];
                        if (outC == 4) dst[3] = index < paletteAlpha!.Length ? paletteAlpha[index] : (byte)255;
                    }
                    else
                    {
                        for (int s = 0; s < samples; s++)
                            dst[s] = To8(Sample(row, i * samples + s, h.BitDepth), h.BitDepth);
                    }
                }
                row.CopyTo(prior);
                offset += 1 + stride;
            }
        }
        return new PngImage(h.Width, h.Height, format, pixels);
    }

    /// <summary>Sample number <paramref name="index"/> of a row packed at <paramref name="depth"/> bits, MSB first.</summary>
    private static int Sample(ReadOnlySpan<byte> row, int index, int depth) => depth switch
    {
        8 => row[index],
        16 => (row[2 * index] << 8) | row[2 * index + 1],
        _ => (row[index * depth / 8] >> (8 - depth - index * depth % 8)) & ((1 << depth) - 1),
    };

    private static byte To8(int v, int depth) => depth switch
    {
        8 => (byte)v,
        16 => (byte)((v * 255 + 32767) / 65535),
        _ => (byte)(v * 255 / ((1 << depth) - 1)),
    };

    private sealed record Header(int Width, int Height, int BitDepth, int ColorType, bool Interlaced)
    {
        public int SamplesPerPixel => ColorType switch { 0 => 1, 2 => 3, 3 => 1, 4 => 2, _ => 4 };

        public static Header Parse(ReadOnlySpan<byte> d)
        {
            if (d.Length != 13) throw new InvalidDataException($"PNG IHDR chunk has {d.Length} bytes, expected 13.");
            uint w = BinaryPrimitives.ReadUInt32BigEndian(d), h = BinaryPrimitives.ReadUInt32BigEndian(d[4..]);
            int depth = d[8], color = d[9];
            if (w == 0 || h == 0 || w > int.MaxValue || h > int.MaxValue)
                throw new InvalidDataException($"PNG image size {w} x {h} is invalid: both must be between 1 and 2^31 - 1.");
            if ((long)w * h > MaxPixels)
                throw new InvalidDataException($"PNG image {w} x {h} is too large: at most {MaxPixels} pixels are supported.");
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
            return new Header((int)w, (int)h, depth, color, d[12] == 1);
        }

        /// <summary>(x0, y0, dx, dy) of each pass: one for a plain image, seven for Adam7 (section 8.2).</summary>
        public IEnumerable<(int X0, int Y0, int Dx, int Dy)> Passes() => Interlaced
            ? [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]
            : [(0, 0, 1, 1)];

        /// <summary>Bytes of the decompressed stream: per pass, rows of (1 filter byte + packed samples).</summary>
        public long FilteredSize()
        {
            long total = 0;
            int bits = SamplesPerPixel * BitDepth;
            foreach ((int x0, int y0, int dx, int dy) in Passes())
            {
                long pw = (Width - x0 + dx - 1) / dx, ph = (Height - y0 + dy - 1) / dy;
                if (pw > 0 && ph > 0) total += ph * (1 + (pw * bits + 7) / 8);
            }
            return total;
        }
    }
}

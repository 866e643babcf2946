// PNG decoder: every standard colour type and bit depth (1, 2, 4, 8, 16), palette with tRNS alpha, all five
// filters, Adam7 interlacing; CRCs checked. Output is always 8 bits per sample: 16-bit samples are rounded to
// 8 bits, 1/2/4-bit gray is scaled to 0..255, palette images expand to RGB (RGBA when tRNS is present).
// Deliberately left out: gamma/colour-space chunks (gAMA, iCCP, sRGB) are ignored, as are tRNS colour keys of
// gray and RGB images (a single transparent colour; no alpha channel is synthesised for it).
// Hostile input: sizes come from checked 64-bit arithmetic; a header over PngLimits, or one declaring more pixel
// data than its compressed bytes can hold (deflate expands at most 1032:1), is refused before anything is
// allocated; rows are inflated one at a time (two row buffers, no whole-image staging buffer); zlib errors become
// InvalidDataException; files are read only when they are regular files under PngLimits.MaxFileBytes.
// Reference: PNG specification (W3C, 3rd ed.), sections 5, 7, 8.2 (Adam7), 11.2 (critical chunks), 13;
// RFC 1951 (deflate: a 258-byte match in 2 bits at best, hence 1032:1).
using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using Latent.Tensors.Kernels;

namespace Latent.Data.Png;

/// <summary>PNG decoder: every standard colour type and bit depth (1, 2, 4, 8, 16), palette with tRNS alpha, all five filters, Adam7 interlacing; CRCs checked.</summary>
public static class PngDecoder
{
    /// <summary>Deflate's largest expansion: 4 matches of 258 bytes per input byte (1-bit codes; RFC 1951).</summary>
    private const long MaxDeflateRatio = 1032;

    /// <summary>Decodes the PNG file at <paramref name="path"/>; errors name the file.</summary>
    public static PngImage Load(string path, PngLimits? limits = null)
    {
        limits ??= PngLimits.Default;
        limits.Validate();
        byte[] bytes = RegularFile.ReadAllBytes(path, limits.MaxFileBytes);
        try
        {
            return Decode(bytes, limits);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
    }

    /// <summary>The header of the PNG file at <paramref name="path"/>, reading only its first 33 bytes (signature
    /// and IHDR chunk), so a caller can refuse an image by its size before decoding it; errors name the file.</summary>
    public static PngHeader ReadHeader(string path, PngLimits? limits = null)
    {
        limits ??= PngLimits.Default;
        limits.Validate();
        byte[] bytes = RegularFile.ReadPrefix(path, HeaderBytes, limits.MaxFileBytes);
        try
        {
            return ReadHeader(bytes);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
    }

    /// <summary>Signature (8) + IHDR length, type, 13 data bytes and CRC (25).</summary>
    private const int HeaderBytes = 33;

    /// <summary>The header of a PNG file image (its first 33 bytes suffice); the IHDR CRC is checked.</summary>
    public static PngHeader ReadHeader(ReadOnlySpan<byte> png)
    {
        CheckSignature(png);
        if (png.Length < HeaderBytes)
            throw new InvalidDataException($"PNG file is truncated: {png.Length} bytes, too few for the signature and the IHDR chunk ({HeaderBytes}).");
        string type = Encoding.ASCII.GetString(png.Slice(12, 4));
        if (type != "IHDR") throw new InvalidDataException($"PNG file is malformed: the first chunk is '{type}', expected 'IHDR'.");
        uint length = BinaryPrimitives.ReadUInt32BigEndian(png[8..]);
        if (length != 13) throw new InvalidDataException($"PNG IHDR chunk has {length} bytes, expected 13.");
        CheckCrc(png.Slice(12, 4), png.Slice(16, 13), BinaryPrimitives.ReadUInt32BigEndian(png[29..]), type, 8);
        return PngHeader.Parse(png.Slice(16, 13));
    }

    /// <summary>Decodes a complete PNG file image. Malformed, truncated or over-limit data throws
    /// <see cref="InvalidDataException"/>.</summary>
    public static PngImage Decode(ReadOnlySpan<byte> png, PngLimits? limits = null)
    {
        limits ??= PngLimits.Default;
        limits.Validate();
        CheckSignature(png);

        PngHeader? header = null;
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
            CheckCrc(typeBytes, data, BinaryPrimitives.ReadUInt32BigEndian(png[(pos + 8 + (int)length)..]), type, pos);
            pos += 12 + (int)length;

            if (header is null && type != "IHDR")
                throw new InvalidDataException($"PNG file is malformed: the first chunk is '{type}', expected 'IHDR'.");
            switch (type)
            {
                case "IHDR":
                    if (header is not null) throw new InvalidDataException("PNG file is malformed: more than one IHDR chunk.");
                    header = PngHeader.Parse(data);
                    CheckLimits(header, limits);
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
        long filtered = header.FilteredSize();
        if (filtered / MaxDeflateRatio > idat.Length)
            throw new InvalidDataException(
                $"PNG image data is truncated: a {header.Width} x {header.Height} image needs {filtered} bytes of pixel data, " +
                $"more than its {idat.Length} compressed bytes can hold (deflate expands at most {MaxDeflateRatio}:1).");

        idat.Position = 0;
        using var z = new ZLibStream(idat, CompressionMode.Decompress);
        return Reconstruct(header, z, filtered, palette, paletteAlpha);
    }

    private static void CheckSignature(ReadOnlySpan<byte> png)
    {
        if (png.Length < 8 || !png[..8].SequenceEqual(PngEncoder.Signature))
            throw new InvalidDataException(png.Length < 8
                ? $"Not a PNG file: only {png.Length} bytes, shorter than the 8-byte PNG signature."
                : "Not a PNG file: the first 8 bytes are not the PNG signature (89 50 4E 47 0D 0A 1A 0A).");
    }

    private static void CheckCrc(ReadOnlySpan<byte> typeBytes, ReadOnlySpan<byte> data, uint stored, string type, int pos)
    {
        uint actual = Crc32.Update(Crc32.Update(0xFFFFFFFFu, typeBytes), data) ^ 0xFFFFFFFFu;
        if (stored != actual)
            throw new InvalidDataException($"PNG chunk '{type}' at offset {pos} is corrupt: CRC {stored:X8} stored, {actual:X8} computed.");
    }

    /// <summary>Refuses a header over the limits, before any pixel data is read.</summary>
    private static void CheckLimits(PngHeader h, PngLimits limits)
    {
        if (h.Width > limits.MaxSide || h.Height > limits.MaxSide)
            throw new InvalidDataException(
                $"PNG image {h.Width} x {h.Height} is too large: at most {limits.MaxSide} pixels a side are read (PngLimits.MaxSide).");
        if (h.Pixels > limits.MaxPixels)
            throw new InvalidDataException(
                $"PNG image {h.Width} x {h.Height} is too large: {h.Pixels} pixels, at most {limits.MaxPixels} are read (PngLimits.MaxPixels).");
        if (h.Pixels * 4 > Array.MaxLength)
            throw new InvalidDataException($"PNG image {h.Width} x {h.Height} is too large to hold in memory as 8-bit pixels.");
    }

    /// <summary>Unfilters the rows as they are inflated into (H, W, C) 8-bit pixels: two row buffers, no staging.</summary>
    private static PngImage Reconstruct(PngHeader h, ZLibStream z, long filtered, byte[]? palette, byte[]? paletteAlpha)
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
        var pixels = new byte[h.Pixels * outC];              // at most 4 x PngLimits.MaxPixels (CheckLimits)
        int samples = h.SamplesPerPixel, bitsPerPixel = samples * h.BitDepth, bpp = Math.Max(1, bitsPerPixel / 8);
        int maxStride = (int)h.RowBytes(h.Width);            // at most 8 x PngLimits.MaxSide
        var line = new byte[1 + maxStride];                  // filter-type byte, then the filtered row
        var prior = new byte[maxStride];
        long inflated = 0;
        foreach ((int x0, int y0, int dx, int dy) in h.Passes())
        {
            (long pwLong, long phLong) = h.PassSize(x0, y0, dx, dy);
            int pw = (int)pwLong, ph = (int)phLong;
            if (pw <= 0 || ph <= 0) continue;
            int stride = (int)h.RowBytes(pw);
            prior.AsSpan(0, stride).Clear();
            for (int j = 0; j < ph; j++)
            {
                ReadRow(z, line.AsSpan(0, 1 + stride), ref inflated, filtered);
                int filterType = line[0];
                if (filterType > 4)
                    throw new InvalidDataException($"PNG row {j} has filter type {filterType}; only 0 (None) to 4 (Paeth) exist.");
                Span<byte> row = line.AsSpan(1, stride);
                PngFilters.Unfilter((PngFilter)filterType, prior.AsSpan(0, stride), bpp, row);
                int y = y0 + j * dy;
                for (int i = 0; i < pw; i++)
                {
                    Span<byte> dst = pixels.AsSpan((int)(((long)y * h.Width + x0 + (long)i * dx) * outC), outC);
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
            }
        }
        return new PngImage(h.Width, h.Height, format, pixels);
    }

    /// <summary>Fills <paramref name="dest"/> from the zlib stream of the IDAT chunks; zlib's errors (an IOException
    /// for "unexpected error code", InvalidDataException for bad deflate data) become one InvalidDataException.</summary>
    private static void ReadRow(ZLibStream z, Span<byte> dest, ref long inflated, long filtered)
    {
        int got;
        try
        {
            got = z.ReadAtLeast(dest, dest.Length, throwOnEndOfStream: false);
        }
        catch (Exception e) when (e is IOException or InvalidDataException)
        {
            // .NET's texts ("unsupported compression method", "unexpected error code") mislead here: not kept
            throw new InvalidDataException(
                $"corrupt compressed image data (IDAT): the zlib stream is damaged after {inflated} of {filtered} bytes; re-create the file.", e);
        }
        inflated += got;
        if (got < dest.Length)
            throw new InvalidDataException($"PNG image data is truncated: {inflated} of {filtered} bytes after decompression.");
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
}

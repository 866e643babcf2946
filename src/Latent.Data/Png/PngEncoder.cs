// PNG encoder: 8-bit gray, gray+alpha, RGB, RGBA; non-interlaced; zlib via System.IO.Compression.ZLibStream;
// one filter per row (chosen adaptively unless the caller forces one). Writes IHDR, IDAT, IEND only. Save writes
// through a temporary file and a rename (AtomicFile).
// Reference: PNG specification (W3C, 3rd ed.), sections 5 (datastream), 7 (encoding), 11.2 (IHDR).
using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

using Latent.IO;
using Latent.Tensors.Kernels;

namespace Latent.Data.Png;

/// <summary>PNG encoder: 8-bit gray, gray+alpha, RGB, RGBA; non-interlaced; zlib via System.IO.Compression.ZLibStream; one filter per row (chosen adaptively unless the caller forces one).</summary>
public static class PngEncoder
{
    internal static readonly byte[] Signature = [137, 80, 78, 71, 13, 10, 26, 10];

    /// <summary>Encodes (height, width, C) bytes, C = (int)<paramref name="format"/>, into a PNG file image.</summary>
    public static byte[] Encode(ReadOnlySpan<byte> pixels, int width, int height, PixelFormat format,
        PngFilter filter = PngFilter.Adaptive)
    {
        using var ms = new MemoryStream();
        Write(ms, pixels, width, height, format, filter);
        return ms.ToArray();
    }

    public static byte[] Encode(PngImage image, PngFilter filter = PngFilter.Adaptive)
    {
        ArgumentNullException.ThrowIfNull(image);
        return Encode(image.Pixels, image.Width, image.Height, image.Format, filter);
    }

    /// <summary>Writes <paramref name="image"/> to <paramref name="path"/> as PNG, atomically: encoded in memory,
    /// written to a temporary file beside the target and renamed over it, so a full disk or a killed process
    /// never leaves a partial or empty file at <paramref name="path"/> (<see cref="AtomicFile"/>).</summary>
    public static void Save(string path, PngImage image, PngFilter filter = PngFilter.Adaptive)
    {
        byte[] png = Encode(image, filter);
        AtomicFile.Write(path, s => s.Write(png));
    }

    public static void Write(Stream output, ReadOnlySpan<byte> pixels, int width, int height, PixelFormat format,
        PngFilter filter = PngFilter.Adaptive)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (width <= 0 || height <= 0)
            throw new ArgumentOutOfRangeException(nameof(width), $"Image size must be positive, got {width} x {height}.");
        if (!Enum.IsDefined(format))
            throw new ArgumentOutOfRangeException(nameof(format), $"Unknown pixel format {(int)format}.");
        if (!Enum.IsDefined(filter))
            throw new ArgumentOutOfRangeException(nameof(filter), $"Unknown filter {(int)filter}.");
        int bpp = (int)format;
        long stride = (long)width * bpp;
        if (stride > int.MaxValue / 2 || stride * height != pixels.Length)
            throw new ArgumentException(
                $"A {width} x {height} {format} image needs {stride * height} bytes, got {pixels.Length}.", nameof(pixels));

        output.Write(Signature);
        Span<byte> ihdr = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr[4..], height);
        ihdr[8] = 8;                                  // bit depth
        ihdr[9] = ColorType(format);
        ihdr[10] = 0;                                 // compression: deflate
        ihdr[11] = 0;                                 // filter method: adaptive, five types
        ihdr[12] = 0;                                 // no interlace
        WriteChunk(output, "IHDR", ihdr);
        WriteChunk(output, "IDAT", Compress(pixels, (int)stride, height, bpp, filter));
        WriteChunk(output, "IEND", []);
    }

    private static byte[] Compress(ReadOnlySpan<byte> pixels, int stride, int height, int bpp, PngFilter filter)
    {
        var filtered = new byte[(long)height * (1 + stride)];   // per row: the filter type byte, then the filtered row
        PngFilters.FilterRows(pixels[..(height * stride)], stride, bpp, filter, filtered);
        using var compressed = new MemoryStream();
        using (var z = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true)) z.Write(filtered);
        return compressed.ToArray();
    }

    internal static byte ColorType(PixelFormat format) => format switch
    {
        PixelFormat.Gray8 => 0,
        PixelFormat.Rgb8 => 2,
        PixelFormat.GrayAlpha8 => 4,
        PixelFormat.Rgba8 => 6,
        _ => throw new ArgumentOutOfRangeException(nameof(format), $"Unknown pixel format {(int)format}."),
    };

    private static void WriteChunk(Stream output, string type, ReadOnlySpan<byte> data)
    {
        Span<byte> head = stackalloc byte[8];
        BinaryPrimitives.WriteInt32BigEndian(head, data.Length);
        Encoding.ASCII.GetBytes(type, head[4..]);
        output.Write(head);
        output.Write(data);
        uint crc = Crc32.Update(0xFFFFFFFFu, head[4..]);
        crc = Crc32.Update(crc, data) ^ 0xFFFFFFFFu;
        Span<byte> tail = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(tail, crc);
        output.Write(tail);
    }
}

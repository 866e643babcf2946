// PNG encoder: 8-bit gray, gray+alpha, RGB, RGBA; non-interlaced; zlib via System.IO.Compression.ZLibStream;
// one filter per row (chosen adaptively unless the caller forces one). Writes IHDR, IDAT, IEND only. Save writes
// through a temporary file and a rename (AtomicFile).
// Reference: PNG specification (W3C, 3rd ed.), sections 5 (datastream), 7 (encoding), 11.2 (IHDR).
using System.Buffers;
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

    /// <summary>Writes <paramref name="image"/> to <paramref name="path"/> as PNG, atomically: encoded into a
    /// temporary file beside the target and renamed over it, so a full disk or a killed process
    /// never leaves a partial or empty file at <paramref name="path"/> (<see cref="AtomicFile"/>).</summary>
    public static void Save(string path, PngImage image, PngFilter filter = PngFilter.Adaptive)
    {
        ArgumentNullException.ThrowIfNull(image);
        AtomicFile.Write(path, s => Write(s, image.Pixels, image.Width, image.Height, image.Format, filter));
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
        Compress(output, pixels, (int)stride, height, bpp, filter);
        WriteChunk(output, "IEND", []);
    }

    /// <summary>The IDAT chunks: the filtered rows, zlib-compressed, in chunks of at most IdatChunks.Size bytes (as
    /// libpng writes them). Nothing here is a large object: the filtered rows are rented and the compressed stream is
    /// cut into chunks as it comes, so an image written again and again (the sample grid after every training epoch)
    /// leaves no large array to the collector, which only a full collection would free (issue 20).</summary>
    private static void Compress(Stream output, ReadOnlySpan<byte> pixels, int stride, int height, int bpp, PngFilter filter)
    {
        int length = checked(height * (1 + stride));   // per row: the filter type byte, then the filtered row
        byte[] rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            Span<byte> filtered = rented.AsSpan(0, length);
            PngFilters.FilterRows(pixels[..(height * stride)], stride, bpp, filter, filtered);
            using var chunks = new IdatChunks(output);
            using (var z = new ZLibStream(chunks, CompressionLevel.Optimal, leaveOpen: true)) z.Write(filtered);
        }
        finally { ArrayPool<byte>.Shared.Return(rented); }
    }

    /// <summary>A write-only stream that cuts what is written to it into IDAT chunks of <see cref="Size"/> bytes
    /// (the last one shorter), written to the PNG stream as each fills and when disposed.</summary>
    private sealed class IdatChunks(Stream png) : Stream
    {
        public const int Size = 32768;
        private readonly byte[] buffer = ArrayPool<byte>.Shared.Rent(Size);
        private int used;
        private bool wrote, disposed;

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => !disposed;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Flush() { }
        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> data)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            while (!data.IsEmpty)
            {
                int n = Math.Min(Size - used, data.Length);
                data[..n].CopyTo(buffer.AsSpan(used));
                used += n;
                data = data[n..];
                if (used == Size) Emit();
            }
        }

        private void Emit()
        {
            WriteChunk(png, "IDAT", buffer.AsSpan(0, used));
            used = 0;
            wrote = true;
        }

        protected override void Dispose(bool disposing)
        {
            if (!disposed && disposing)
            {
                if (used > 0 || !wrote) Emit();   // the rest; a PNG has at least one IDAT chunk
                ArrayPool<byte>.Shared.Return(buffer);
            }
            disposed = true;
            base.Dispose(disposing);
        }
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

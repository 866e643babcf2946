// A tiny PNG chunk writer for hostile test files: any IHDR (sizes the encoder would never write), any IDAT
// bytes (damaged zlib, too little data), with correct CRCs so that only the intended fault is present.
using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using Latent.Data.Png;

namespace Latent.Tests.Reporting;

internal static class PngBuilder
{
    private static readonly byte[] Signature = [137, 80, 78, 71, 13, 10, 26, 10];

    /// <summary>The 13 IHDR data bytes: colour type 0 gray, 2 RGB, 3 palette, 4 gray + alpha, 6 RGBA.</summary>
    public static byte[] Ihdr(uint width, uint height, int depth, int color, bool interlaced = false)
    {
        var d = new byte[13];
        BinaryPrimitives.WriteUInt32BigEndian(d, width);
        BinaryPrimitives.WriteUInt32BigEndian(d.AsSpan(4), height);
        (d[8], d[9], d[12]) = ((byte)depth, (byte)color, (byte)(interlaced ? 1 : 0));
        return d;
    }

    /// <summary>Signature, IHDR, IDAT (as given), IEND.</summary>
    public static byte[] File(byte[] ihdr, byte[] idat)
    {
        using var ms = new MemoryStream();
        ms.Write(Signature);
        Chunk(ms, "IHDR", ihdr);
        Chunk(ms, "IDAT", idat);
        Chunk(ms, "IEND", []);
        return ms.ToArray();
    }

    /// <summary>zlib-compressed <paramref name="raw"/> (the filtered rows of an image).</summary>
    public static byte[] Zlib(ReadOnlySpan<byte> raw)
    {
        using var ms = new MemoryStream();
        using (var z = new ZLibStream(ms, CompressionLevel.SmallestSize, leaveOpen: true)) z.Write(raw);
        return ms.ToArray();
    }

    private static void Chunk(Stream s, string type, ReadOnlySpan<byte> data)
    {
        Span<byte> head = stackalloc byte[8];
        BinaryPrimitives.WriteInt32BigEndian(head, data.Length);
        Encoding.ASCII.GetBytes(type, head[4..]);
        s.Write(head);
        s.Write(data);
        Span<byte> crc = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32.Update(Crc32.Update(0xFFFFFFFFu, head[4..]), data) ^ 0xFFFFFFFFu);
        s.Write(crc);
    }
}

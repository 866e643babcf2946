// A PNG file as the fuzzer edits it (PNG specification, section 5.3): the 8-byte signature, then chunks of
// (length, type, data, CRC). Parsing is lenient (it stops at the first chunk that does not fit and keeps the rest
// as a tail); writing recomputes each chunk's CRC unless the chunk keeps its stored one on purpose.
using System.Buffers.Binary;
using System.Text;

namespace Latent.Tests.Fuzz;

public sealed class PngChunkList
{
    public static readonly byte[] Signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>One chunk; <see cref="StoredCrc"/> is written as is when set (a deliberately stale CRC).</summary>
    public sealed class Chunk(string type, byte[] data)
    {
        public string Type { get; set; } = type;
        public byte[] Data { get; set; } = data;
        public uint? StoredCrc { get; set; }
    }

    public List<Chunk> Chunks { get; } = [];

    /// <summary>Bytes after the last whole chunk (kept verbatim).</summary>
    public byte[] Tail { get; set; } = [];

    /// <summary>The chunks of a file that starts with the PNG signature, or null for anything else.</summary>
    public static PngChunkList? TryParse(byte[] png)
    {
        ArgumentNullException.ThrowIfNull(png);
        if (png.Length < 8 || !png.AsSpan(0, 8).SequenceEqual(Signature)) return null;
        var list = new PngChunkList();
        int pos = 8;
        while (png.Length - pos >= 12)
        {
            uint length = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(pos));
            if (length > (uint)(png.Length - pos - 12)) break;
            string type = Encoding.Latin1.GetString(png, pos + 4, 4);
            byte[] data = png.AsSpan(pos + 8, (int)length).ToArray();
            uint crc = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(pos + 8 + (int)length));
            var chunk = new Chunk(type, data);
            if (crc != ChunkCrc(type, data)) chunk.StoredCrc = crc;   // keep a bad CRC bad
            list.Chunks.Add(chunk);
            pos += 12 + (int)length;
        }
        list.Tail = png.AsSpan(pos).ToArray();
        return list;
    }

    public byte[] ToBytes()
    {
        using var ms = new MemoryStream();
        ms.Write(Signature);
        Span<byte> u32 = stackalloc byte[4];
        foreach (Chunk c in Chunks)
        {
            BinaryPrimitives.WriteUInt32BigEndian(u32, (uint)c.Data.Length);
            ms.Write(u32);
            ms.Write(Encoding.Latin1.GetBytes(c.Type));
            ms.Write(c.Data);
            BinaryPrimitives.WriteUInt32BigEndian(u32, c.StoredCrc ?? ChunkCrc(c.Type, c.Data));
            ms.Write(u32);
        }
        ms.Write(Tail);
        return ms.ToArray();
    }

    public static uint ChunkCrc(string type, ReadOnlySpan<byte> data)
    {
        var buf = new byte[4 + data.Length];
        Encoding.Latin1.GetBytes(type, buf);
        data.CopyTo(buf.AsSpan(4));
        return FuzzCrc32.Compute(buf);
    }

    /// <summary>The concatenated data of every IDAT chunk (the zlib stream).</summary>
    public byte[] ImageData() => [.. Chunks.Where(c => c.Type == "IDAT").SelectMany(c => c.Data)];

    /// <summary>Replaces the IDAT chunks by <paramref name="parts"/> chunks holding <paramref name="zlib"/>, where the first IDAT was.</summary>
    public void ReplaceImageData(byte[] zlib, int parts)
    {
        ArgumentNullException.ThrowIfNull(zlib);
        int at = Chunks.FindIndex(c => c.Type == "IDAT");
        if (at < 0) at = Math.Max(0, Chunks.FindIndex(c => c.Type == "IEND"));
        Chunks.RemoveAll(c => c.Type == "IDAT");
        at = Math.Min(at, Chunks.Count);
        parts = Math.Clamp(parts, 1, Math.Max(1, zlib.Length));
        for (int i = parts - 1; i >= 0; i--)
        {
            int from = (int)((long)zlib.Length * i / parts), to = (int)((long)zlib.Length * (i + 1) / parts);
            Chunks.Insert(at, new Chunk("IDAT", zlib[from..to]));
        }
    }
}

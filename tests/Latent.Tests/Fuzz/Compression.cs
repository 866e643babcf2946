// zlib (RFC 1950) and gzip (RFC 1952) through System.IO.Compression, for the mutators that rewrite compressed
// payloads (PNG IDAT, gzipped IDX): inflation is bounded, so a corpus entry that is a bomb cannot exhaust the fuzzer.
using System.IO.Compression;

namespace Latent.Tests.Fuzz;

public static class Compression
{
    /// <summary>Payloads whose inflated size passes this are left compressed (the mutator falls back to raw bytes).</summary>
    public const int MaxInflated = 1 << 20;

    public static byte[] Zlib(ReadOnlySpan<byte> raw, CompressionLevel level)
    {
        using var ms = new MemoryStream();
        using (var z = new ZLibStream(ms, level, leaveOpen: true)) z.Write(raw);
        return ms.ToArray();
    }

    public static byte[] Gzip(ReadOnlySpan<byte> raw, CompressionLevel level)
    {
        using var ms = new MemoryStream();
        using (var z = new GZipStream(ms, level, leaveOpen: true)) z.Write(raw);
        return ms.ToArray();
    }

    /// <summary>The inflated zlib stream, or null when it is damaged or inflates past <see cref="MaxInflated"/>.</summary>
    public static byte[]? TryUnzlib(byte[] data) => TryInflate(s => new ZLibStream(s, CompressionMode.Decompress), data);

    /// <summary>The inflated gzip stream (every member), or null when it is damaged or too large.</summary>
    public static byte[]? TryGunzip(byte[] data) => TryInflate(s => new GZipStream(s, CompressionMode.Decompress), data);

    public static bool IsGzip(ReadOnlySpan<byte> data) => data.Length >= 2 && data[0] == 0x1f && data[1] == 0x8b;

    private static byte[]? TryInflate(Func<Stream, Stream> open, byte[] data)
    {
        try
        {
            using var input = new MemoryStream(data);
            using Stream z = open(input);
            using var output = new MemoryStream();
            var buffer = new byte[16 << 10];
            int got;
            while ((got = z.Read(buffer)) > 0)
            {
                output.Write(buffer, 0, got);
                if (output.Length > MaxInflated) return null;
            }
            return output.ToArray();
        }
        catch (InvalidDataException) { return null; }
        catch (IOException) { return null; }
    }
}

// Format-blind mutations of a byte string, in the manner of AFL's "havoc" stage (Zalewski, AFL technical details,
// https://lcamtuf.coredump.cx/afl/technical_details.txt) and libFuzzer's MutationDispatcher: bit flips, bytes and
// 16/32/64-bit integers set to boundary values in either byte order, small additions, chunk deletion / duplication /
// insertion / overwrite, truncation, and splicing with another corpus file. Mutate stacks 1 to 8 of them.
// Format-aware mutators (PNG, checkpoint, IDX) call the single operations on a part of their structure.
using System.Buffers.Binary;

namespace Latent.Tests.Fuzz;

public static class ByteMutator
{
    /// <summary>Inputs never grow beyond this (a mutation that would is cut back), so a campaign cannot snowball.</summary>
    public const int MaxLength = 1 << 16;

    private static readonly byte[] InterestingBytes = [0x00, 0x01, 0x02, 0x07, 0x08, 0x10, 0x1f, 0x20, 0x40, 0x7f, 0x80, 0x81, 0xfe, 0xff];

    /// <summary>Boundaries where size arithmetic wraps or a sign flips, written as 16, 32 or 64-bit integers.</summary>
    public static readonly long[] InterestingIntegers =
    [
        0, 1, 2, 3, 4, 7, 8, 16, 28, 255, 256, 32767, 32768, 65535, 65536, 1 << 24, 1 << 28, 16384, 33820272, 100_000,
        int.MaxValue - 1, int.MaxValue, 0x80000000L, 0xFFFFFFFFL, 0x100000000L, long.MaxValue, long.MinValue, -1, -2, -128, -32768, int.MinValue,
    ];

    public static byte[] Mutate(byte[] input, FuzzRandom rng, IReadOnlyList<byte[]> corpus)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(rng);
        ArgumentNullException.ThrowIfNull(corpus);
        var b = new List<byte>(input);
        int n = 1 << rng.Next(4);                     // 1, 2, 4 or 8 stacked operations
        for (int i = 0; i < n; i++) MutateOnce(b, rng, corpus);
        if (b.Count > MaxLength) b.RemoveRange(MaxLength, b.Count - MaxLength);
        return [.. b];
    }

    public static void MutateOnce(List<byte> b, FuzzRandom rng, IReadOnlyList<byte[]> corpus)
    {
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(rng);
        ArgumentNullException.ThrowIfNull(corpus);
        switch (rng.Next(12))
        {
            case 0: FlipBits(b, rng); break;
            case 1: SetInterestingByte(b, rng); break;
            case 2: case 3: SetInterestingInteger(b, rng); break;
            case 4: AddSmall(b, rng); break;
            case 5: DeleteChunk(b, rng); break;
            case 6: DuplicateChunk(b, rng); break;
            case 7: InsertChunk(b, rng); break;
            case 8: OverwriteChunk(b, rng); break;
            case 9: Truncate(b, rng); break;
            case 10: Splice(b, rng, corpus); break;
            default: RandomByte(b, rng); break;
        }
    }

    public static void FlipBits(List<byte> b, FuzzRandom rng)
    {
        if (b.Count == 0) return;
        int k = rng.Between(1, 8);
        for (int i = 0; i < k; i++) { int at = rng.Next(b.Count); b[at] ^= (byte)(1 << rng.Next(8)); }
    }

    public static void SetInterestingByte(List<byte> b, FuzzRandom rng)
    {
        if (b.Count > 0) b[rng.Next(b.Count)] = rng.Pick(InterestingBytes);
    }

    public static void RandomByte(List<byte> b, FuzzRandom rng)
    {
        if (b.Count > 0) b[rng.Next(b.Count)] = (byte)rng.Next(256);
    }

    /// <summary>Writes a boundary value as a 2, 4 or 8-byte integer, big or little endian, at a random offset.</summary>
    public static void SetInterestingInteger(List<byte> b, FuzzRandom rng)
    {
        int width = rng.Pick(new[] { 2, 4, 4, 8 });
        if (b.Count < width) return;
        WriteInteger(b, rng.Next(b.Count - width + 1), width, rng.Chance(0.5), rng.Pick(InterestingIntegers));
    }

    public static void WriteInteger(List<byte> b, int at, int width, bool bigEndian, long value)
    {
        ArgumentNullException.ThrowIfNull(b);
        Span<byte> tmp = stackalloc byte[8];
        if (bigEndian) BinaryPrimitives.WriteInt64BigEndian(tmp, value);
        else BinaryPrimitives.WriteInt64LittleEndian(tmp, value);
        ReadOnlySpan<byte> v = bigEndian ? tmp[(8 - width)..] : tmp[..width];
        for (int i = 0; i < width; i++) b[at + i] = v[i];
    }

    /// <summary>Adds -35..35 to one byte or to a 32-bit integer in either byte order.</summary>
    public static void AddSmall(List<byte> b, FuzzRandom rng)
    {
        int delta = rng.Between(-35, 35);
        if (b.Count < 4 || rng.Chance(0.5))
        {
            if (b.Count > 0) { int at = rng.Next(b.Count); b[at] = (byte)(b[at] + delta); }
            return;
        }
        int p = rng.Next(b.Count - 3);
        bool big = rng.Chance(0.5);
        Span<byte> tmp = [b[p], b[p + 1], b[p + 2], b[p + 3]];
        int v = big ? BinaryPrimitives.ReadInt32BigEndian(tmp) : BinaryPrimitives.ReadInt32LittleEndian(tmp);
        WriteInteger(b, p, 4, big, unchecked(v + delta) & 0xFFFFFFFFL);
    }

    /// <summary>A chunk length in [1, max], small lengths as likely as long ones on a log scale.</summary>
    private static int ChunkLength(int max, FuzzRandom rng) => max <= 1 ? 1 : rng.Between(1, Math.Min(max, 1 << rng.Next(11)));

    public static void DeleteChunk(List<byte> b, FuzzRandom rng)
    {
        if (b.Count < 2) return;
        int len = ChunkLength(b.Count - 1, rng);
        b.RemoveRange(rng.Next(b.Count - len + 1), len);
    }

    public static void DuplicateChunk(List<byte> b, FuzzRandom rng)
    {
        if (b.Count == 0) return;
        int len = ChunkLength(b.Count, rng), from = rng.Next(b.Count - len + 1);
        b.InsertRange(rng.Next(b.Count + 1), b.GetRange(from, len));
    }

    /// <summary>Inserts a run of one byte (often 0 or 0xff) or of random bytes.</summary>
    public static void InsertChunk(List<byte> b, FuzzRandom rng)
    {
        int len = rng.Between(1, 1 << rng.Next(9));
        var chunk = new byte[len];
        if (rng.Chance(0.5)) Array.Fill(chunk, rng.Chance(0.5) ? rng.Pick(InterestingBytes) : (byte)rng.Next(256));
        else for (int i = 0; i < len; i++) chunk[i] = (byte)rng.Next(256);
        b.InsertRange(rng.Next(b.Count + 1), chunk);
    }

    public static void OverwriteChunk(List<byte> b, FuzzRandom rng)
    {
        if (b.Count < 2) return;
        int len = ChunkLength(b.Count / 2, rng), from = rng.Next(b.Count - len + 1), to = rng.Next(b.Count - len + 1);
        List<byte> copy = b.GetRange(from, len);
        for (int i = 0; i < len; i++) b[to + i] = copy[i];
    }

    public static void Truncate(List<byte> b, FuzzRandom rng)
    {
        if (b.Count == 0) return;
        int keep = rng.Chance(0.3) ? rng.Next(Math.Min(b.Count, 64)) : rng.Next(b.Count);
        b.RemoveRange(keep, b.Count - keep);
    }

    /// <summary>This input's head up to a random point followed by another corpus file's tail from a random point.</summary>
    public static void Splice(List<byte> b, FuzzRandom rng, IReadOnlyList<byte[]> corpus)
    {
        if (corpus.Count == 0) return;
        byte[] other = rng.Pick(corpus);
        int cut = rng.Next(b.Count + 1), from = rng.Next(other.Length + 1);
        b.RemoveRange(cut, b.Count - cut);
        b.AddRange(other.AsSpan(from).ToArray());
    }
}

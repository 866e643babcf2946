// IDX-aware mutations (see Latent.Data.Idx: 00 00, element type, dimension count d, d big-endian int32 sizes, data).
// Header fields are set to boundary values (sizes whose product wraps 32 or 64 bits, 0, 2^31 - 1, 2^31, ...; the
// count byte and the type byte), the data is sometimes resized to match a small new header, and the rest is
// format-blind. A gzipped file is usually inflated, mutated as IDX and compressed again (so the mutation reaches
// the IDX parser), sometimes given extra gzip members, and sometimes mutated as raw gzip bytes.
using System.Buffers.Binary;
using System.IO.Compression;
using System.Numerics;

namespace Latent.Tests.Fuzz;

public sealed class IdxMutator : IInputMutator
{
    private static readonly long[] DimSizes =
        [0, 1, 2, 3, 28, 255, 256, 65535, 65536, 254, 33820272, 2147380029, 1 << 24, int.MaxValue, 0x80000000L, 0xFFFFFFFFL, 0x7FFFFFFFL - 7];

    public byte[] Mutate(byte[] input, FuzzRandom rng, IReadOnlyList<byte[]> pool)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(rng);
        ArgumentNullException.ThrowIfNull(pool);
        if (!Compression.IsGzip(input)) return MutateIdx(input, rng, pool);
        byte[]? raw = rng.Chance(0.8) ? Compression.TryGunzip(input) : null;
        if (raw is null) return ByteMutator.Mutate(input, rng, pool);
        byte[] gz = Compression.Gzip(MutateIdx(raw, rng, pool), rng.Chance(0.5) ? CompressionLevel.Fastest : CompressionLevel.SmallestSize);
        if (rng.Chance(0.1)) gz = [.. gz, .. Compression.Gzip(new byte[rng.Pick(new[] { 1, 100, 1 << 16 })], CompressionLevel.SmallestSize)];
        if (gz.Length > 0 && rng.Chance(0.05)) gz = gz[..rng.Next(gz.Length)];
        return gz.Length > ByteMutator.MaxLength ? gz[..ByteMutator.MaxLength] : gz;
    }

    private static byte[] MutateIdx(byte[] idx, FuzzRandom rng, IReadOnlyList<byte[]> pool)
    {
        if (idx.Length < 8 || rng.Chance(0.4)) return ByteMutator.Mutate(idx, rng, pool);
        var b = new List<byte>(idx);
        int ndim = Math.Clamp((int)b[3], 1, (b.Count - 4) / 4);
        switch (rng.Next(4))
        {
            case 0: b[2] = (byte)rng.Pick(new[] { 0x08, 0x09, 0x0B, 0x0C, 0x0D, 0x0E, 0x00, 0xFF }); break;
            case 1: b[3] = (byte)rng.Pick(new[] { 0, 1, 2, 3, 4, 5, 255 }); break;
            default:
                int fields = rng.Between(1, ndim);
                for (int f = 0; f < fields; f++) ByteMutator.WriteInteger(b, 4 + 4 * rng.Next(ndim), 4, bigEndian: true, rng.Pick(DimSizes));
                break;
        }
        if (rng.Chance(0.5)) FitData(b);
        return b.Count > ByteMutator.MaxLength ? [.. b.GetRange(0, ByteMutator.MaxLength)] : [.. b];
    }

    /// <summary>Resizes the data to what the header promises when that is small (so the mutation is not refused for its length alone).</summary>
    private static void FitData(List<byte> b)
    {
        int ndim = b[3];
        if (ndim is < 1 or > 4 || b.Count < 4 + 4 * ndim) return;
        BigInteger count = 1;
        Span<byte> size = stackalloc byte[4];
        for (int d = 0; d < ndim; d++)
        {
            for (int i = 0; i < 4; i++) size[i] = b[4 + 4 * d + i];
            count *= BinaryPrimitives.ReadUInt32BigEndian(size);
        }
        int header = 4 + 4 * ndim;
        if (count > ByteMutator.MaxLength - header) return;
        int want = header + (int)count;
        if (b.Count > want) b.RemoveRange(want, b.Count - want);
        else b.AddRange(new byte[want - b.Count]);
    }
}

// The header of an IDX file (http://yann.lecun.com/exdb/mnist/, "FILE FORMATS"): 00 00, element type,
// number of dimensions d, then d big-endian sizes. The element count is their product, computed with
// checked 64-bit arithmetic and bounded by Idx.MaxDataBytes, so a header whose product wraps or is
// absurd is refused before anything is allocated for the data.
using System.Buffers.Binary;
using System.Numerics;

namespace Latent.Data;

/// <summary>A parsed IDX header: the sizes, the number of data bytes they declare, and the header's length.</summary>
public sealed record IdxHeader(int[] Dims, long Count, int Length)
{
    /// <summary>The longest header (4 dimensions): 4 + 4 * 4 bytes.</summary>
    public const int MaxLength = 4 + 4 * 4;

    /// <summary>The header length that the first four bytes announce (they must be present).</summary>
    public static int LengthFrom(ReadOnlySpan<byte> first4, string name)
    {
        if (first4.Length < 4)
            throw new DataException($"{name}: too short for an IDX header ({first4.Length} bytes); the file is truncated or not IDX.");
        if (first4[0] != 0 || first4[1] != 0)
            throw new DataException($"{name}: bad IDX magic number (first two bytes {first4[0]:x2} {first4[1]:x2}, expected 00 00); not an IDX file.");
        if (first4[2] != 0x08)
            throw new DataException($"{name}: IDX element type 0x{first4[2]:x2} is not supported (only unsigned bytes, 0x08).");
        int ndim = first4[3];
        if (ndim is < 1 or > 4) throw new DataException($"{name}: IDX header says {ndim} dimensions (expected 1 to 4).");
        return 4 + 4 * ndim;
    }

    /// <summary>Parses the header at the start of <paramref name="raw"/> (which may hold more than the header).</summary>
    public static IdxHeader Parse(ReadOnlySpan<byte> raw, string name) => Parse(raw, name, Idx.MaxDataBytes);

    /// <summary>Parses the header, allowing at most <paramref name="maxDataBytes"/> bytes of data (a reader that
    /// streams the file in batches, IdxImages, needs no whole-file buffer and allows more than Idx.MaxDataBytes).</summary>
    public static IdxHeader Parse(ReadOnlySpan<byte> raw, string name, long maxDataBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxDataBytes);
        int length = LengthFrom(raw, name);
        if (raw.Length < length) throw new DataException($"{name}: truncated inside the IDX header (dimension sizes).");
        var dims = new int[(length - 4) / 4];
        for (int d = 0; d < dims.Length; d++)
        {
            uint size = BinaryPrimitives.ReadUInt32BigEndian(raw.Slice(4 + 4 * d, 4));
            if (size > int.MaxValue) throw new DataException($"{name}: IDX dimension {d} has an impossible size {size}; the file is corrupt.");
            dims[d] = (int)size;
        }
        // The running product stays at most maxDataBytes: a factor that would take it past is refused before the
        // multiplication (count > max / size), so no step can overflow a long.
        long count = dims.Contains(0) ? 0 : 1;
        foreach (int size in dims)
        {
            if (count == 0) break;
            if (count > maxDataBytes / size)
                throw new DataException(
                    $"{name}: IDX header declares {string.Join(" x ", dims)} = {Product(dims)} bytes of data, more than the " +
                    $"{maxDataBytes} bytes ({maxDataBytes >> 30} GiB) Latent reads; the header is corrupt or the file is not a dataset Latent can load.");
            count *= size;
        }
        return new IdxHeader(dims, count, length);
    }

    /// <summary>The exact product of the sizes, for messages (never wraps, never negative).</summary>
    private static BigInteger Product(int[] dims)
    {
        BigInteger p = BigInteger.One;
        foreach (int d in dims) p *= d;
        return p;
    }

    /// <summary>The error for data of the wrong length: <paramref name="actual"/> bytes after the header instead of Count.</summary>
    public DataException WrongLength(string name, long actual, bool atLeast = false) => new(
        $"{name}: IDX header promises {string.Join(" x ", Dims)} = {Count} bytes of data, the file has {(atLeast ? "more than " : "")}{actual}" +
        (actual < Count ? " (truncated download?); replace the file or fetch it again." : " (trailing bytes); the file is corrupt, replace it."));
}

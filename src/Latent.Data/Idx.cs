// IDX files, the format of MNIST and Fashion-MNIST (http://yann.lecun.com/exdb/mnist/, "FILE FORMATS"):
//   bytes 0-1: 0x00 0x00; byte 2: element type (0x08 = unsigned byte); byte 3: number of dimensions d;
//   then d big-endian int32 sizes; then the data, row-major, size_0 * ... * size_{d-1} elements.
// Only unsigned-byte data is read (all the datasets we fetch). Gzipped files (.gz) are unpacked on the fly.
// Every check names the file and the field, so a corrupt or truncated download is an error a user can act on.
using System.Buffers.Binary;
using System.IO.Compression;

namespace Latent.Data;

public static class Idx
{
    /// <summary>Reads an IDX file of unsigned bytes: (dims, data).</summary>
    public static (int[] Dims, byte[] Data) Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new DataException($"{path}: file not found.");
        byte[] raw;
        try
        {
            raw = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? Gunzip(path) : File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            throw new DataException($"{path}: cannot be read ({e.Message}).", e);
        }
        return Parse(raw, path);
    }

    /// <summary>Parses IDX bytes; <paramref name="name"/> is used in error messages.</summary>
    public static (int[] Dims, byte[] Data) Parse(ReadOnlySpan<byte> raw, string name)
    {
        if (raw.Length < 4) throw new DataException($"{name}: too short for an IDX header ({raw.Length} bytes); the file is truncated or not IDX.");
        if (raw[0] != 0 || raw[1] != 0)
            throw new DataException($"{name}: bad IDX magic number (first two bytes {raw[0]:x2} {raw[1]:x2}, expected 00 00); not an IDX file.");
        if (raw[2] != 0x08)
            throw new DataException($"{name}: IDX element type 0x{raw[2]:x2} is not supported (only unsigned bytes, 0x08).");
        int ndim = raw[3];
        if (ndim is < 1 or > 4) throw new DataException($"{name}: IDX header says {ndim} dimensions (expected 1 to 4).");
        int header = 4 + 4 * ndim;
        if (raw.Length < header) throw new DataException($"{name}: truncated inside the IDX header (dimension sizes).");
        var dims = new int[ndim];
        long count = 1;
        for (int d = 0; d < ndim; d++)
        {
            uint size = BinaryPrimitives.ReadUInt32BigEndian(raw.Slice(4 + 4 * d, 4));
            if (size > int.MaxValue) throw new DataException($"{name}: IDX dimension {d} has an impossible size {size}.");
            dims[d] = (int)size;
            count *= size;
        }
        long expected = header + count;
        if (raw.Length != expected)
            throw new DataException(
                $"{name}: IDX header promises {string.Join(" x ", dims)} = {count} bytes of data, the file has {raw.Length - header}" +
                (raw.Length < expected ? " (truncated download?)." : " (trailing bytes)."));
        return (dims, raw.Slice(header).ToArray());
    }

    /// <summary>Reads an images file (N, H, W) and its labels file (N) into an ImageSet with pixels / 255.</summary>
    public static ImageSet ReadImageSet(string imagesPath, string labelsPath, string source)
    {
        var (idims, pix) = Read(imagesPath);
        var (ldims, labels) = Read(labelsPath);
        if (idims.Length != 3) throw new DataException($"{imagesPath}: expected 3 dimensions (count, height, width), found {idims.Length}.");
        if (ldims.Length != 1) throw new DataException($"{labelsPath}: expected 1 dimension (count), found {ldims.Length}.");
        if (idims[0] != ldims[0])
            throw new DataException($"{imagesPath} has {idims[0]} images but {labelsPath} has {ldims[0]} labels.");
        var pixels = new float[pix.Length];
        for (int i = 0; i < pix.Length; i++) pixels[i] = pix[i] / 255f;
        return new ImageSet(pixels, labels, idims[1], idims[2], source);
    }

    /// <summary>Writes unsigned-byte IDX data (used by the subset script's C# twin and by tests).</summary>
    public static void Write(string path, ReadOnlySpan<int> dims, ReadOnlySpan<byte> data)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var fs = File.Create(path);
        Span<byte> head = stackalloc byte[4 + 4 * dims.Length];
        head[2] = 0x08;
        head[3] = (byte)dims.Length;
        for (int d = 0; d < dims.Length; d++) BinaryPrimitives.WriteInt32BigEndian(head.Slice(4 + 4 * d), dims[d]);
        fs.Write(head);
        fs.Write(data);
    }

    private static byte[] Gunzip(string path)
    {
        using var fs = File.OpenRead(path);
        using var gz = new GZipStream(fs, CompressionMode.Decompress);
        using var ms = new MemoryStream();
        gz.CopyTo(ms);
        return ms.ToArray();
    }
}

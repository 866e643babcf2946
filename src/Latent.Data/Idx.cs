// IDX files, the format of MNIST and Fashion-MNIST (http://yann.lecun.com/exdb/mnist/, "FILE FORMATS"):
//   bytes 0-1: 0x00 0x00; byte 2: element type (0x08 = unsigned byte); byte 3: number of dimensions d;
//   then d big-endian int32 sizes; then the data, row-major, size_0 * ... * size_{d-1} elements.
// Only unsigned-byte data is read (all the datasets we fetch). Gzipped files (.gz) are unpacked on the fly.
// Every check names the file and the field, so a corrupt or truncated download is an error a user can act on.
// Nothing is allocated from a header before it is checked: the header is read first, its declared size
// is bounded (MaxDataBytes) and compared with the file's size; gzip data is decompressed into a buffer
// that grows with what actually arrives and stops one byte past the declared size (no gzip bomb), and
// a declared size whose bytes and float copy would not fit in the memory this process may use
// (MemoryBudget) is refused from the header.
// Only regular files are opened (RegularFile): never a pipe, a device or a link to one.
using System.Buffers.Binary;
using System.IO.Compression;

namespace Latent.Data;

/// <summary>IDX files, the format of MNIST and Fashion-MNIST (http://yann.lecun.com/exdb/mnist/, "FILE FORMATS").</summary>
public static class Idx
{
    /// <summary>The most data bytes an IDX file may declare: 1 GiB (MNIST's training images are 47 MB).</summary>
    public const long MaxDataBytes = 1L << 30;

    /// <summary>Reads an IDX file of unsigned bytes: (dims, data).</summary>
    public static (int[] Dims, byte[] Data) Read(string path)
    {
        long size = RegularFile.Size(path, "an IDX file");
        bool gz = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase);
        if (size > MaxDataBytes + IdxHeader.MaxLength)
            throw new DataException($"{path}: {size} bytes is more than an IDX file Latent reads ({MaxDataBytes + IdxHeader.MaxLength} bytes at most); " +
                "it is not a dataset Latent can load.");
        try
        {
            using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
            if (!gz) return ReadFrom(fs, path, size);
            using var unzip = new GZipStream(fs, CompressionMode.Decompress);
            return ReadFrom(unzip, path, fileSize: null);
        }
        catch (InvalidDataException e) when (gz)
        {
            throw new DataException($"{path}: the gzip data is corrupt (CRC mismatch or damaged stream); replace the file, or fetch it again with `latent data fetch`.", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            throw new DataException($"{path}: cannot be read ({e.Message}).", e);
        }
    }

    /// <summary>
    /// Reads header and data from a stream. With <paramref name="fileSize"/> known (an uncompressed file) the
    /// header is checked against it before the data is allocated; without (gzip) the data buffer grows with
    /// what arrives, up to the declared size, and one byte more is an error.
    /// </summary>
    private static (int[] Dims, byte[] Data) ReadFrom(Stream s, string name, long? fileSize)
    {
        Span<byte> head = stackalloc byte[IdxHeader.MaxLength];
        int got = s.ReadAtLeast(head[..4], 4, throwOnEndOfStream: false);
        int length = IdxHeader.LengthFrom(head[..got], name);
        got += s.ReadAtLeast(head[4..length], length - 4, throwOnEndOfStream: false);
        var header = IdxHeader.Parse(head[..got], name);
        if (fileSize is long total && total - length != header.Count) throw header.WrongLength(name, total - length);
        // The bytes, and the float copy (4 bytes each) that every caller makes of them.
        MemoryBudget.Check(name, 5 * header.Count, $"its data ({string.Join(" x ", header.Dims)} bytes, and their float copy)");

        var data = new byte[Math.Min(header.Count, fileSize is null ? 1 << 20 : header.Count)];
        long filled = 0;
        while (filled < header.Count)
        {
            if (filled == data.Length) Array.Resize(ref data, (int)Math.Min(header.Count, 2L * data.Length));
            int n = s.Read(data, (int)filled, data.Length - (int)filled);
            if (n == 0) throw header.WrongLength(name, filled);
            filled += n;
        }
        if (s.ReadByte() >= 0) throw header.WrongLength(name, header.Count, atLeast: true);
        return (header.Dims, data);
    }

    /// <summary>Parses IDX bytes; <paramref name="name"/> is used in error messages.</summary>
    public static (int[] Dims, byte[] Data) Parse(ReadOnlySpan<byte> raw, string name)
    {
        var header = IdxHeader.Parse(raw, name);
        long actual = raw.Length - header.Length;
        if (actual != header.Count) throw header.WrongLength(name, actual);
        return (header.Dims, raw.Slice(header.Length).ToArray());
    }

    /// <summary>Reads an images file (N, H, W) and its labels file (N) into an ImageSet with pixels / 255.</summary>
    public static ImageSet ReadImageSet(string imagesPath, string labelsPath, string source)
    {
        var (height, width, pix, labels) = ReadLabelledBytes(imagesPath, labelsPath);
        return ToImageSet(pix, labels, height, width, null, source);
    }

    /// <summary>Reads an images file (N, H, W) and its labels file (N) as bytes, checking that they belong together:
    /// (H, W, pixels (N, H, W), labels (N)).</summary>
    public static (int Height, int Width, byte[] Pixels, byte[] Labels) ReadLabelledBytes(string imagesPath, string labelsPath)
    {
        var (idims, pix) = Read(imagesPath);
        var (ldims, labels) = Read(labelsPath);
        if (idims.Length != 3) throw new DataException($"{imagesPath}: expected 3 dimensions (count, height, width), found {idims.Length}.");
        if (ldims.Length != 1) throw new DataException($"{labelsPath}: expected 1 dimension (count), found {ldims.Length}.");
        if (idims[1] == 0 || idims[2] == 0)
            throw new DataException($"{imagesPath}: images of {idims[1]} x {idims[2]} pixels hold nothing; the file is corrupt or not an images file.");
        if (idims[0] != ldims[0])
            throw new DataException($"{imagesPath} has {idims[0]} images but {labelsPath} has {ldims[0]} labels.");
        return (idims[1], idims[2], pix, labels);
    }

    /// <summary>The images of (N, H, W) bytes whose label is in <paramref name="classes"/> (all when null), in file
    /// order, with pixels / 255: only the kept images get a float copy (issue 20: one MNIST class is a tenth of the
    /// 188 MB that all 60,000 training images take as floats).</summary>
    public static ImageSet ToImageSet(byte[] pixels, byte[] labels, int height, int width, IReadOnlyCollection<int>? classes, string source)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        ArgumentNullException.ThrowIfNull(labels);
        int dim = height * width;
        var keep = new List<int>(classes is null ? labels.Length : 0);
        for (int i = 0; i < labels.Length; i++)
            if (classes is null || classes.Contains(labels[i])) keep.Add(i);
        var kept = new float[(long)keep.Count * dim];
        var keptLabels = new byte[keep.Count];
        for (int j = 0; j < keep.Count; j++)
        {
            ReadOnlySpan<byte> src = pixels.AsSpan(keep[j] * dim, dim);
            Span<float> dst = kept.AsSpan(j * dim, dim);
            Levels(src, dst);
            keptLabels[j] = labels[keep[j]];
        }
        return new ImageSet(kept, keptLabels, height, width, source);
    }

    /// <summary>Bytes as the gray levels every image here holds: k / 255 for the byte k.</summary>
    public static void Levels(ReadOnlySpan<byte> bytes, Span<float> gray)
    {
        for (int i = 0; i < bytes.Length; i++) gray[i] = bytes[i] / 255f;
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
}

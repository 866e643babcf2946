// An IDX images file (N, H, W) of unsigned bytes read in batches, for `latent score` over a file of any size: only the
// header is parsed when the file is opened (its declared size checked against the file's, or for gzip bounded by
// MaxDataBytes), then each Read fetches the bytes of images [first, first + count): a seek in a plain file, a forward
// read (skipping what lies before) in a gzipped one, so memory is one batch, not the file.
// Only regular files are opened (RegularFile); a truncated or over-long gzip stream is an error naming the file when
// the read reaches it.
using System.IO.Compression;

namespace Latent.Data;

/// <summary>An IDX images file (N, H, W) of unsigned bytes read in batches, for `latent score` over a file of any size.</summary>
public sealed class IdxImages : IDisposable
{
    /// <summary>The most data bytes a streamed IDX file may declare: 1 TiB (1.4 billion MNIST images).</summary>
    public const long MaxDataBytes = 1L << 40;

    private readonly Stream stream;
    private readonly FileStream file;
    private readonly bool gz;
    private readonly int headerLength;
    private long position;          // images read or skipped so far (gzip: where the stream is)

    private IdxImages(string path, FileStream file, Stream stream, bool gz, IdxHeader header)
    {
        Path = path;
        this.file = file;
        this.stream = stream;
        this.gz = gz;
        headerLength = header.Length;
        (Count, Height, Width) = (header.Dims[0], header.Dims[1], header.Dims[2]);
    }

    public string Path { get; }
    public int Count { get; }
    public int Height { get; }
    public int Width { get; }

    /// <summary>Opens <paramref name="path"/>, an IDX file of 3 dimensions (plain or .gz); errors name the file.</summary>
    public static IdxImages Open(string path)
    {
        long size = RegularFile.Size(path, "an IDX images file");
        bool gz = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase);
        var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        Stream s = gz ? new GZipStream(fs, CompressionMode.Decompress) : fs;
        try
        {
            Span<byte> head = stackalloc byte[IdxHeader.MaxLength];
            int got = ReadSome(s, head[..4], path);
            int length = IdxHeader.LengthFrom(head[..got], path);
            got += ReadSome(s, head[4..length], path);
            var header = IdxHeader.Parse(head[..got], path, MaxDataBytes);
            if (header.Dims.Length != 3)
                throw new DataException($"{path}: an IDX images file has 3 dimensions (N, H, W), this one has {header.Dims.Length}.");
            if (header.Dims[1] == 0 || header.Dims[2] == 0)
                throw new DataException($"{path}: images of {header.Dims[1]} x {header.Dims[2]} pixels hold nothing; the file is corrupt or not an images file.");
            if (!gz && size - length != header.Count) throw header.WrongLength(path, size - length);
            return new IdxImages(path, fs, s, gz, header);
        }
        catch
        {
            s.Dispose();
            throw;
        }
    }

    /// <summary>The bytes of images [<paramref name="first"/>, <paramref name="first"/> + n) into
    /// <paramref name="destination"/> (n H W bytes). A gzipped file reads forward only: <paramref name="first"/> may
    /// not go back before images already read.</summary>
    public void Read(long first, Span<byte> destination)
    {
        int dim = Height * Width;
        if (destination.Length % dim != 0) throw new ArgumentException($"destination holds {destination.Length} bytes, not whole images of {dim}.", nameof(destination));
        long n = destination.Length / dim;
        if (first < 0 || first + n > Count) throw new ArgumentOutOfRangeException(nameof(first), $"images {first} to {first + n - 1} are outside 0 to {Count - 1}.");
        try
        {
            if (!gz) file.Position = headerLength + first * dim;
            else
            {
                if (first < position) throw new InvalidOperationException($"{Path} is gzipped and read forward only: image {first} lies before image {position}.");
                var skip = new byte[Math.Min(1 << 16, (first - position) * dim)];
                for (long left = (first - position) * dim; left > 0;)
                {
                    int k = stream.Read(skip, 0, (int)Math.Min(skip.Length, left));
                    if (k == 0) throw Truncated(first);
                    left -= k;
                }
            }
            if (stream.ReadAtLeast(destination, destination.Length, throwOnEndOfStream: false) != destination.Length) throw Truncated(first);
            position = first + n;
        }
        catch (InvalidDataException e) when (gz)
        {
            throw new DataException($"{Path}: the gzip data is corrupt (CRC mismatch or damaged stream); replace the file.", e);
        }
    }

    private DataException Truncated(long first) =>
        new($"{Path}: the file ends before image {first + 1} of the {Count} its header promises (truncated?); replace the file.");

    private static int ReadSome(Stream s, Span<byte> buffer, string path)
    {
        try { return s.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false); }
        catch (InvalidDataException e) { throw new DataException($"{path}: the gzip data is corrupt (damaged stream); replace the file.", e); }
    }

    public void Dispose() => stream.Dispose();
}

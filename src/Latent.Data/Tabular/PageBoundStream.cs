// The file as Parquet.Net reads it, held to the pages ParquetGuard checked. Parquet.Net reads a column's pages one
// after the other until it has decoded as many values as the chunk declares; a page that decodes fewer values than
// its header says would send it on to read whatever follows as a page header (unchecked sizes, or past the end of
// the file, where its varint reader loops forever on the -1 that ReadByte returns). Once armed, this stream lets it
// go only to a checked page header or inside a checked page's data, and a read past the end is an error, not -1.
namespace Latent.Data.Tabular;

/// <summary>A read-only file stream that, once armed, allows positions only at checked page headers and data.</summary>
internal sealed class PageBoundStream(FileStream file) : Stream
{
    private HashSet<long>? _headers;
    private (long Data, long End)[]? _data; // sorted by Data; pages do not overlap

    /// <summary>From now on, allow only these pages' header starts and data ranges.</summary>
    public void Arm(IReadOnlyList<(long Header, long Data, long End)> pages)
    {
        _headers = [.. pages.Select(p => p.Header)];
        _data = [.. pages.Select(p => (p.Data, p.End)).OrderBy(d => d.Data)];
    }

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length => file.Length;

    public override long Position
    {
        get => file.Position;
        set
        {
            if (_data != null && !_headers!.Contains(value) && !InData(value)) throw Stray(value);
            file.Position = value;
        }
    }

    private bool InData(long at)
    {
        int i = Array.BinarySearch(_data!, (at, long.MaxValue));
        if (i < 0) i = ~i;
        return i > 0 && at <= _data![i - 1].End;
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        long target = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => file.Position + offset,
            _ => file.Length + offset,
        };
        Position = target;
        return target;
    }

    public override int Read(byte[] buffer, int offset, int count) => file.Read(buffer, offset, count);

    public override int Read(Span<byte> buffer) => file.Read(buffer);

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => file.ReadAsync(buffer, cancellationToken);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => file.ReadAsync(buffer, offset, count, cancellationToken);

    public override int ReadByte()
    {
        int b = file.ReadByte();
        return b >= 0 ? b : throw new EndOfStreamException("the file ends inside a page header");
    }

    public override void Flush() { }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) file.Dispose();
        base.Dispose(disposing);
    }

    private static InvalidDataException Stray(long at) =>
        new($"a column's pages do not decode to the values they declare (the reader went on to byte {at}, which no checked page starts or holds)");
}

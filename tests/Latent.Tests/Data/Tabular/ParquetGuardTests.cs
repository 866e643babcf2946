// Parquet files whose declared sizes lie (the fuzzer's findings, issue 18): each is refused in one line naming the
// size that does not fit, before Parquet.Net allocates it. The files are built here byte by byte (a small Thrift
// compact encoder, below) from one valid file: a required double column "x" of three rows in one plain page. That
// the valid one reads back as 1, 2, 3 checks the encoder; each variant then changes one declared size.
using Latent.Data;
using Latent.Data.Tabular;

namespace Latent.Tests.Data.Tabular;

public sealed class ParquetGuardTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>One file's declared sizes, each a knob a test turns.</summary>
    private sealed record Lies
    {
        public long Rows { get; init; } = 3;
        public long ChunkValues { get; init; } = 3;
        public long ChunkBytes { get; init; } = -1; // -1: the page's true size
        public long DataOffset { get; init; } = 4;
        public long PageCompressed { get; init; } = -1; // -1: the page data's true length
        public long PageUncompressed { get; init; } = -1; // -1: the values' plain length
        public bool Text { get; init; } // a BYTE_ARRAY column of "a", "bb", "ccc" instead of doubles 1, 2, 3
        public int Codec { get; init; } // 0 uncompressed, 1 snappy, 6 zstd
        public byte[]? PageData { get; init; } // the page's bytes as stored (compressed), when not the plain values
        public long PageValues { get; init; } = 3;
        public long FooterLength { get; init; } = -1; // -1: the footer's true length
        public int PathListCount { get; init; } = 1; // the declared element count of path_in_schema
        public string? ChunkFile { get; init; }
    }

    /// <summary>The three values in the plain encoding: doubles, or byte arrays as a 4-byte length and the bytes.</summary>
    private static byte[] Plain(bool text) => text
        ? [.. new[] { "a", "bb", "ccc" }.SelectMany(v => BitConverter.GetBytes(v.Length).Concat(System.Text.Encoding.UTF8.GetBytes(v)))]
        : [.. new[] { 1.0, 2.0, 3.0 }.SelectMany(BitConverter.GetBytes)];

    private string Write(string name, Lies lies)
    {
        byte[] plain = Plain(lies.Text), values = lies.PageData ?? plain;
        var page = new Thrift();
        page.I32(1, 0); // DATA_PAGE
        page.I32(2, lies.PageUncompressed >= 0 ? lies.PageUncompressed : plain.Length);
        page.I32(3, lies.PageCompressed >= 0 ? lies.PageCompressed : values.Length);
        page.BeginStruct(5);
        page.I32(1, lies.PageValues);
        page.I32(2, 0); // PLAIN
        page.I32(3, 3); // RLE levels
        page.I32(4, 3);
        page.EndStruct();
        page.Stop();
        long chunkBytes = lies.ChunkBytes >= 0 ? lies.ChunkBytes : page.Bytes.Count + values.Length;

        var footer = new Thrift();
        footer.I32(1, 1);
        footer.BeginList(2, Thrift.Struct, 2);
        footer.BeginElement(); footer.Binary(4, "schema"); footer.I32(5, 1); footer.EndElement();
        footer.BeginElement(); footer.I32(1, lies.Text ? 6 : 5); footer.I32(3, 0); footer.Binary(4, "x"); footer.EndElement(); // DOUBLE or BYTE_ARRAY, REQUIRED
        footer.I64(3, lies.Rows);
        footer.BeginList(4, Thrift.Struct, 1);
        footer.BeginElement();
        footer.BeginList(1, Thrift.Struct, 1);
        footer.BeginElement();
        if (lies.ChunkFile != null) footer.Binary(1, lies.ChunkFile);
        footer.I64(2, 4);
        footer.BeginStruct(3);
        footer.I32(1, lies.Text ? 6 : 5);
        footer.BeginList(2, 5, 1); footer.RawVarint(0);
        footer.BeginList(3, 8, lies.PathListCount); footer.RawString("x");
        footer.I32(4, lies.Codec);
        footer.I64(5, lies.ChunkValues);
        footer.I64(6, chunkBytes);
        footer.I64(7, chunkBytes);
        footer.I64(9, lies.DataOffset);
        footer.EndStruct();
        footer.EndElement();
        footer.I64(2, chunkBytes);
        footer.I64(3, lies.Rows);
        footer.EndElement();
        footer.Stop();

        var file = new List<byte>("PAR1"u8.ToArray());
        file.AddRange(page.Bytes);
        file.AddRange(values);
        file.AddRange(footer.Bytes);
        file.AddRange(BitConverter.GetBytes((uint)(lies.FooterLength >= 0 ? lies.FooterLength : footer.Bytes.Count)));
        file.AddRange("PAR1"u8.ToArray());
        return _dir.Write(name, [.. file]);
    }

    private string Refusal(Lies lies)
    {
        string path = Write("lie.parquet", lies);
        var e = Assert.Throws<DataException>(() => ParquetTable.Read(path));
        Assert.StartsWith($"{path}: not a readable Parquet file (", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
        return e.Message;
    }

    [Fact]
    public void TheHonestFileReadsBack()
    {
        var (header, records) = ParquetTable.Read(Write("ok.parquet", new Lies()));
        Assert.Equal(["x"], header);
        Assert.Equal(["1", "2", "3"], records.Select(r => r.Fields[0]));
    }

    // Snappy: the length preamble, then one literal (tag (length - 1) << 2). Zstandard: magic, a single-segment
    // descriptor with a 1-byte content size, then one raw block (header (size << 3) | last).
    private static byte[] Snappy(byte[] data, int declared) => [.. Varint(declared), (byte)((data.Length - 1) << 2), .. data];

    private static byte[] Varint(long v)
    {
        var b = new List<byte>();
        for (; v >= 0x80; v >>= 7) b.Add((byte)(v | 0x80));
        b.Add((byte)v);
        return [.. b];
    }

    private static byte[] Zstd(byte[] data, byte descriptor, byte[] contentSize) =>
        [0x28, 0xB5, 0x2F, 0xFD, descriptor, .. contentSize, (byte)((data.Length << 3) | 1), (byte)(data.Length >> 5), 0, .. data];

    [Fact]
    public void CompressedAndTextPagesWithHonestSizesReadBack()
    {
        byte[] doubles = Plain(false), text = Plain(true);
        Assert.Equal(["a", "bb", "ccc"], ParquetTable.Read(Write("text.parquet", new Lies { Text = true })).Records.Select(r => r.Fields[0]));
        Assert.Equal(["1", "2", "3"], ParquetTable.Read(Write("snappy.parquet", new Lies { Codec = 1, PageData = Snappy(doubles, doubles.Length) })).Records.Select(r => r.Fields[0]));
        Assert.Equal(["a", "bb", "ccc"], ParquetTable.Read(Write("zstd.parquet", new Lies { Text = true, Codec = 6, PageData = Zstd(text, 0x20, [(byte)text.Length]) })).Records.Select(r => r.Fields[0]));
        // A frame that does not declare its size (a window of 1 KiB: its one block is bounded by 1 KiB), read as the library reads it.
        Assert.Equal(["1", "2", "3"], ParquetTable.Read(Write("zstd-unsized.parquet", new Lies { Codec = 6, PageData = Zstd(doubles, 0x00, [0x00]) })).Records.Select(r => r.Fields[0]));
    }

    [Fact]
    public void CompressedDataDeclaringMoreThanItsPageIsRefused()
    {
        byte[] doubles = Plain(false);
        // Above the page's size and 64 MiB (a page's size alone may be wrong: some writers get it wrong, and are read).
        Assert.Contains("holds snappy data that declares 100000000 bytes, more than the page's 24",
            Refusal(new Lies { Codec = 1, PageData = Snappy(doubles, 100_000_000) }), StringComparison.Ordinal);
        Assert.Contains("holds zstd data that declares 100000000 bytes, more than the page's 24",
            Refusal(new Lies { Codec = 6, PageData = Zstd(doubles, 0xA0, BitConverter.GetBytes(100_000_000)) }), StringComparison.Ordinal);
        Assert.Contains("holds zstd data whose size cannot be read",
            Refusal(new Lies { Codec = 6, PageData = [.. Zstd(doubles, 0x20, [24])[..^5]] }), StringComparison.Ordinal);
        Assert.Contains("holds snappy data whose size cannot be read",
            Refusal(new Lies { Codec = 1, PageData = [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01] }), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("real__nation.dict.parquet", 4, 25)]
    [InlineData("snappy-nation.impala.v2.parquet", 4, 25)]
    [InlineData("gzip-nation.impala.parquet", 4, 25)]
    [InlineData("string_dictionary_by_spark.parquet", 1, 400)]
    [InlineData("issues__637-duckdb.parquet", 1, 2)]
    [InlineData("special__all_null_column_pyarrow_v25.parquet", 2, 46)]
    [InlineData("byte_stream_split_256.parquet", 2, 256)]
    [InlineData("delta_length_byte_array.parquet", 1, 1000)]
    [InlineData("test-delta-binary-packed.parquet", 1, 11)]
    [InlineData("oracle_int64_extra_byte_at_end.parquet", 2, 126)]
    public void FilesFromOtherWritersPassTheGuard(string file, int columns, int rows)
    {
        var (header, records) = ParquetTable.Read(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Data", "ParquetWriters", file));
        Assert.Equal(columns, header.Count);
        Assert.Equal(rows, records.Count);
    }

    [Fact]
    public void AFooterLongerThanTheFileIsRefused() =>
        Assert.Contains("the footer declares 700000000 bytes, more than the", Refusal(new Lies { FooterLength = 700_000_000 }), StringComparison.Ordinal);

    [Fact]
    public void AListLongerThanTheFooterIsRefused() =>
        Assert.Contains("Thrift metadata: a list declares 1000000 elements with", Refusal(new Lies { PathListCount = 1_000_000 }), StringComparison.Ordinal);

    [Fact]
    public void MoreCellsThanTheBytesCanHoldAreRefused() =>
        Assert.Contains("more than 64 per byte", Refusal(new Lies { Rows = 1_000_000, ChunkValues = 1_000_000 }), StringComparison.Ordinal);

    [Fact]
    public void AChunkOutsideTheFileIsRefused() =>
        Assert.Contains("column 'x' starts at byte 5000, outside the file's data (bytes 4 to", Refusal(new Lies { DataOffset = 5000 }), StringComparison.Ordinal);

    [Fact]
    public void AChunksDeclaredTotalSizeIsNotTrustedEitherWay()
    {
        // Some writers get total_compressed_size wrong; Parquet.Net reads pages until it has the values, and so does the guard.
        Assert.Equal(3, ParquetTable.Read(Write("small.parquet", new Lies { ChunkBytes = 5 })).Records.Count);
        Assert.Equal(3, ParquetTable.Read(Write("large.parquet", new Lies { ChunkBytes = 10_000 })).Records.Count);
    }

    [Fact]
    public void AChunkInAnotherFileIsRefused() =>
        Assert.Contains("a column chunk refers to another file (other.parquet)", Refusal(new Lies { ChunkFile = "other.parquet" }), StringComparison.Ordinal);

    [Fact]
    public void AChunkWithOtherThanOneValuePerRowIsRefused() =>
        Assert.Contains("column 'x' declares 4 values in a row group of 3 rows", Refusal(new Lies { ChunkValues = 4 }), StringComparison.Ordinal);

    [Fact]
    public void APageLargerThanItsChunkIsRefused() =>
        Assert.Matches("a page of column 'x' declares 1000000 bytes with [0-9]+ left before the footer", Refusal(new Lies { PageCompressed = 1_000_000 }));

    [Fact]
    public void APageThatUncompressesBeyondItsValuesIsRefused() =>
        Assert.Contains("declares 500000 uncompressed bytes for 3 values in 24 bytes", Refusal(new Lies { PageUncompressed = 500_000 }), StringComparison.Ordinal);

    [Fact]
    public void ATextPageThatUncompressesBeyondDeflatesCeilingIsRefused() =>
        Assert.Contains("declares 2000000 uncompressed bytes for 3 values in 18 bytes", Refusal(new Lies { Text = true, PageUncompressed = 2_000_000 }), StringComparison.Ordinal);

    [Fact]
    public void APageWithMoreValuesThanRowsIsRefused() =>
        Assert.Contains("a page of column 'x' declares 5 values in a row group of 3 rows", Refusal(new Lies { PageValues = 5 }), StringComparison.Ordinal);

    [Fact]
    public void PagesHoldingFewerValuesThanTheChunkAreRefused() =>
        Assert.Contains("the pages of column 'x' reach the footer with 2 of its 3 values", Refusal(new Lies { PageValues = 2 }), StringComparison.Ordinal);

    [Theory]
    [InlineData("PageHeader", new byte[] { 0x9E }, "field 9 of PageHeader is not in the format and is a type 14, which is not skipped safely")]
    [InlineData("PageHeader", new byte[] { 0x99, 0x15 }, "field 9 of PageHeader is not in the format and is a list, which is not skipped safely")]
    [InlineData("PageHeader", new byte[] { 0x28, 0x00 }, "field 2 of PageHeader is a binary, not the i32 the format defines")]
    [InlineData("PageHeader", new byte[] { 0x25, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F }, "a number longer than 32 bits")]
    [InlineData("PageHeader", new byte[] { 0x25, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01 }, "a number longer than 32 bits")]
    [InlineData("PageHeader", new byte[] { 0x15 }, "the bytes end inside a struct")]
    [InlineData("PageHeader", new byte[] { 0x05, 0xFF, 0xFF, 0x07 }, "a field id of -65536")]
    [InlineData("FileMetaData", new byte[] { 0x68, 0x7F, 0x61 }, "a size of 127 with 1 bytes left")]
    [InlineData("FileMetaData", new byte[] { 0x29, 0x5C }, "a list declares 5 elements with 0 bytes left")]
    [InlineData("FileMetaData", new byte[] { 0x29, 0x15 }, "a list of i32 where the format defines a list of struct")]
    [InlineData("FileMetaData", new byte[] { 0x29, 0x25, 0x00 }, "a list of i32 where the format defines a list of struct")]
    [InlineData("BoundingBox", new byte[] { 0x17, 0x01, 0x02 }, "8 bytes declared with 2 left")]
    public void ThriftThatATrustingReaderWouldReadOtherwiseIsRefused(string structName, byte[] bytes, string message)
    {
        var e = Assert.Throws<InvalidDataException>(() => new ThriftCompact(bytes, 0).Struct(structName, null));
        Assert.Equal($"Thrift metadata: {message}", e.Message);
    }

    [Fact]
    public void AnEmptyListMayLeaveItsElementTypeZero()
    {
        var walk = new ThriftCompact(new byte[] { 0x29, 0x00, 0x00 }, 0);
        walk.Struct("FileMetaData", null);
        Assert.Equal(3, walk.Position);
    }

    [Fact]
    public void ThriftIntegersAreRecordedByTheirFieldPathAndUnknownScalarsSkipped()
    {
        var t = new Thrift();
        t.I32(2, 24); t.BeginStruct(5); t.I32(1, -3); t.EndStruct(); t.I32(4, 1 << 30); t.I64(9, 7); t.Stop();
        var ints = new Dictionary<string, long>();
        var walk = new ThriftCompact(t.Bytes.ToArray(), 0);
        walk.Struct("PageHeader", ints);
        Assert.Equal(t.Bytes.Count, walk.Position);
        Assert.Equal(new Dictionary<string, long> { ["2"] = 24, ["5.1"] = -3, ["4"] = 1 << 30 }, ints);
    }

    [Fact]
    public void OnceArmedTheStreamGoesOnlyToCheckedPagesAndAReadPastTheEndIsAnError()
    {
        string path = _dir.File("pages.bin");
        File.WriteAllBytes(path, new byte[100]);
        using var stream = new PageBoundStream(File.OpenRead(path));
        stream.Seek(-8, SeekOrigin.End); // before arming (the footer's reads): anywhere
        stream.Arm([(10, 14, 30), (40, 45, 60)]);
        Assert.Equal(40, stream.Seek(40, SeekOrigin.Begin));
        stream.Position = 14;
        stream.Position = 30;
        stream.Position = 52;
        var e = Assert.Throws<InvalidDataException>(() => stream.Seek(31, SeekOrigin.Begin));
        Assert.Contains("the reader went on to byte 31, which no checked page starts or holds", e.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidDataException>(() => stream.Position = 9);
        Assert.Throws<InvalidDataException>(() => stream.Seek(0, SeekOrigin.End));
        stream.Position = 60;
        stream.Seek(0, SeekOrigin.Current);
        Assert.Equal(60, stream.Position);
        var bytes = new byte[40];
        Assert.Equal(40, stream.Read(bytes));
        Assert.Equal("the file ends inside a page header", Assert.Throws<EndOfStreamException>(() => stream.ReadByte()).Message);
    }

    /// <summary>Just enough of a Thrift compact-protocol writer to build the files above.</summary>
    private sealed class Thrift
    {
        public const int Struct = 12;
        private readonly Stack<short> _last = new([0]);

        public List<byte> Bytes { get; } = [];

        public void I32(short id, long v) { Field(id, 5); RawVarint(ZigZag(v)); }

        public void I64(short id, long v) { Field(id, 6); RawVarint(ZigZag(v)); }

        public void Binary(short id, string s) { Field(id, 8); RawString(s); }

        public void BeginStruct(short id) { Field(id, Struct); _last.Push(0); }

        public void EndStruct() { Bytes.Add(0); _last.Pop(); }

        public void BeginList(short id, int elementType, int count)
        {
            Field(id, 9);
            if (count < 15) Bytes.Add((byte)((count << 4) | elementType));
            else { Bytes.Add((byte)(0xF0 | elementType)); RawVarint((ulong)count); }
        }

        public void BeginElement() => _last.Push(0);

        public void EndElement() => EndStruct();

        public void Stop() => Bytes.Add(0);

        public void RawString(string s) { RawVarint((ulong)s.Length); Bytes.AddRange(System.Text.Encoding.UTF8.GetBytes(s)); }

        public void RawVarint(ulong v)
        {
            for (; v >= 0x80; v >>= 7) Bytes.Add((byte)(v | 0x80));
            Bytes.Add((byte)v);
        }

        private static ulong ZigZag(long v) => (ulong)((v << 1) ^ (v >> 63));

        private void Field(short id, int type)
        {
            int delta = id - _last.Pop();
            if (delta is > 0 and <= 15) Bytes.Add((byte)((delta << 4) | type));
            else { Bytes.Add((byte)type); RawVarint(ZigZag(id)); } // the long form: the id itself follows
            _last.Push(id);
        }
    }
}

// Checks on a Parquet file's declared sizes before Parquet.Net trusts them: the library allocates what the footer
// length, the footer's list counts and strings and a page header's sizes declare, so a file of a few hundred bytes
// could ask for gigabytes or send its readers past the end (found by FuzzTests.ParquetReaderGivesOnlyCleanErrors).
// Each check compares a declared size with the bytes that must hold it:
// - the footer: its length fits between the leading and trailing magic, and it is walked as the format's structs
//   (ThriftCompact with ParquetThrift), so that every count and length in it fits in it;
// - a row group: every column chunk starts inside the file's data and holds exactly as many values as the group has
//   rows (a flat table: one value per row, nulls included), and the cells of the whole table are at most 64 per byte
//   of file (bit-packed booleans take 8 per byte; a column so repetitive that it needs more is a constant column,
//   which a table here refuses anyway);
// - a page: the pages are walked as Parquet.Net walks them (from the chunk's first page until the chunk's values are
//   read; not by the chunk's declared total size, which some writers get wrong); each header is well-formed, its
//   compressed bytes end before the footer, its values are at most the chunk's, and its uncompressed size at most
//   what its values can take (fixed-width types: the plain encoding's width plus a byte of levels per value; byte
//   arrays: 1,100 times the compressed size, deflate's ceiling, plus 1 MiB).
// PageBoundStream then holds the library to the pages found here.
// Reference: the Apache Parquet format (parquet.apache.org/docs/file-format, parquet.thrift).
using Microsoft.Win32.SafeHandles;
using Parquet.Meta;

namespace Latent.Data.Tabular;

/// <summary>Refuses a Parquet file whose declared sizes do not fit in its bytes, before a reader allocates them.</summary>
internal static class ParquetGuard
{
    private const int CellsPerByte = 64;
    private const int MaxPageHeader = 1 << 20;

    /// <summary>The byte offset where the footer starts, once its length and Thrift sizes are checked.</summary>
    public static long CheckFooter(SafeFileHandle file, long size)
    {
        if (size < 12) throw new InvalidDataException($"{size} bytes, shorter than Parquet's two magic markers and footer length");
        Span<byte> tail = stackalloc byte[8];
        RandomAccess.Read(file, tail, size - 8);
        if (!tail[4..].SequenceEqual("PAR1"u8)) throw new InvalidDataException("it does not end with the bytes PAR1 (truncated?)");
        long length = BitConverter.ToUInt32(tail[..4]);
        if (length > size - 12) throw new InvalidDataException($"the footer declares {length} bytes, more than the {size - 12} bytes between the markers");
        var footer = new byte[length];
        RandomAccess.Read(file, footer, size - 8 - length);
        var walk = new ThriftCompact(footer, 0);
        walk.Struct("FileMetaData", null);
        return size - 8 - length;
    }

    /// <summary>Checks every row group's column chunks and their pages against the bytes before the footer, and
    /// returns the pages found: where each header starts and where its data ends.</summary>
    public static List<(long Header, long Data, long End)> CheckRowGroups(SafeFileHandle file, FileMetaData meta, long size, long footerStart)
    {
        long cells = 0;
        var pages = new List<(long, long, long)>();
        foreach (RowGroup group in meta.RowGroups)
        {
            if (group.NumRows < 0) throw new InvalidDataException($"a row group declares {group.NumRows} rows");
            cells += group.NumRows * Math.Max(1, group.Columns.Count);
            if (cells / CellsPerByte > size)
                throw new InvalidDataException($"its row groups declare more than {cells} cells in {size} bytes, more than {CellsPerByte} per byte");
            foreach (ColumnChunk chunk in group.Columns) CheckChunk(file, chunk, group.NumRows, footerStart, pages);
        }
        return pages;
    }

    private static void CheckChunk(SafeFileHandle file, ColumnChunk chunk, long rows, long footerStart, List<(long, long, long)> pages)
    {
        if (chunk.FilePath != null) throw new InvalidDataException($"a column chunk refers to another file ({chunk.FilePath}); give one self-contained file");
        ColumnMetaData m = chunk.MetaData ?? throw new InvalidDataException("a column chunk has no metadata");
        string column = string.Join('.', m.PathInSchema);
        if (m.NumValues != rows) throw new InvalidDataException($"column '{column}' declares {m.NumValues} values in a row group of {rows} rows");
        // Where Parquet.Net starts: the smallest of the dictionary, data and index page offsets that is not 0. It then
        // reads pages until it has the chunk's values, whatever the chunk's declared total size (some writers get
        // that wrong), so the pages are walked the same way here, each held inside the file's data.
        long start = new[] { m.DictionaryPageOffset ?? 0, m.DataPageOffset, m.IndexPageOffset ?? 0 }.Where(o => o != 0).DefaultIfEmpty(0).Min();
        long end = footerStart;
        if (start < 4 || start >= end)
            throw new InvalidDataException($"column '{column}' starts at byte {start}, outside the file's data (bytes 4 to {footerStart})");
        int width = m.Type switch
        {
            Parquet.Meta.Type.BOOLEAN => 1,
            Parquet.Meta.Type.INT32 or Parquet.Meta.Type.FLOAT => 4,
            Parquet.Meta.Type.INT64 or Parquet.Meta.Type.DOUBLE => 8,
            Parquet.Meta.Type.INT96 => 12,
            _ => 0,
        };
        long values = 0;
        for (long at = start; values < rows;)
        {
            if (at >= end) throw new InvalidDataException($"the pages of column '{column}' reach the footer with {values} of its {rows} values");
            var window = new byte[(int)Math.Min(end - at, MaxPageHeader)];
            RandomAccess.Read(file, window, at);
            var walk = new ThriftCompact(window, 0);
            var ints = new Dictionary<string, long>();
            walk.Struct("PageHeader", ints);
            long header = at;
            at += walk.Position;
            long compressed = ints.GetValueOrDefault("3", -1), uncompressed = ints.GetValueOrDefault("2", -1);
            if (compressed < 0 || compressed > end - at)
                throw new InvalidDataException($"a page of column '{column}' declares {compressed} bytes with {end - at} left before the footer");
            string count = ints.GetValueOrDefault("1", -1) switch
            {
                0 => "5.1", // a data page
                2 => "7.1", // the dictionary page
                3 => "8.1", // a data page, version 2
                long t => throw new InvalidDataException($"a page of column '{column}' is of type {t}, not a data or dictionary page"),
            };
            long pageValues = ints.GetValueOrDefault(count, -1);
            if (pageValues < 0 || pageValues > rows)
                throw new InvalidDataException($"a page of column '{column}' declares {pageValues} values in a row group of {rows} rows");
            long most = width > 0 ? pageValues * (width + 1) + 1024 : compressed * 1100 + (1 << 20);
            if (uncompressed < 0 || uncompressed > most)
                throw new InvalidDataException($"a page of column '{column}' declares {uncompressed} uncompressed bytes for {pageValues} values in {compressed} bytes");
            if (count != "7.1") values += pageValues;
            // A version-2 data page keeps its levels uncompressed ahead of its values, and may not be compressed at all.
            long levels = count == "8.1" ? ints.GetValueOrDefault("8.5", 0) + ints.GetValueOrDefault("8.6", 0) : 0;
            if (levels < 0 || levels > compressed || levels > uncompressed)
                throw new InvalidDataException($"a page of column '{column}' declares {levels} bytes of levels in {compressed} bytes");
            if (count != "8.1" || ints.GetValueOrDefault("8.7", 1) == 1)
                CheckCompressed(file, m.Codec, at + levels, compressed - levels, uncompressed - levels, column);
            pages.Add((header, at, at + compressed));
            at += compressed;
        }
        if (values != rows) throw new InvalidDataException($"the pages of column '{column}' hold {values} values, not the {rows} its row group declares");
    }

    /// <summary>Snappy and Zstandard data declare their own decompressed size, and the decompressors Parquet.Net calls
    /// allocate it (for Zstandard, ZstdSharp allocates ZSTD_decompressBound). It must be at most the page's declared
    /// size or 64 MiB, whichever is larger: some writers get a page's size wrong, and Parquet.Net reads them anyway.
    /// Gzip, Brotli and LZ4 decompress into the page's declared size, which is already checked.</summary>
    private static void CheckCompressed(SafeFileHandle file, CompressionCodec codec, long at, long length, long most, string column)
    {
        if (codec is not (CompressionCodec.SNAPPY or CompressionCodec.ZSTD)) return;
        var data = new byte[codec == CompressionCodec.SNAPPY ? Math.Min(5, length) : length];
        RandomAccess.Read(file, data, at);
        long declared = codec == CompressionCodec.SNAPPY ? SnappyLength(data) : ZstdBound(data);
        string name = codec.ToString().ToLowerInvariant();
        if (declared < 0) throw new InvalidDataException($"a page of column '{column}' holds {name} data whose size cannot be read");
        if (declared > Math.Max(most, MaxDecompressed))
            throw new InvalidDataException($"a page of column '{column}' holds {name} data that declares {declared} bytes, more than the page's {most}");
    }

    private const long MaxDecompressed = 64 << 20;

    // Snappy's preamble: the uncompressed length as a little-endian base-128 varint of at most 5 bytes.
    private static long SnappyLength(ReadOnlySpan<byte> b)
    {
        long v = 0;
        for (int i = 0; i < b.Length; i++)
        {
            v |= (long)(b[i] & 0x7F) << (7 * i);
            if ((b[i] & 0x80) == 0) return v;
        }
        return -1;
    }

    // ZSTD_decompressBound (RFC 8878 for the layout): the sum over the frames of each one's content size when its header
    // declares it, else its number of blocks times its largest block (the window size, at most 128 KiB); a skippable
    // frame adds nothing. A frame header: magic 0xFD2FB528, the descriptor byte (content-size flag in bits 7-6, single
    // segment in bit 5, reserved bit 3, checksum in bit 2, dictionary-id flag in bits 1-0), the window byte unless
    // single segment, the dictionary id (0, 1, 2 or 4 bytes), the content size (1 (single segment only), 2 (+ 256), 4
    // or 8 bytes). A block header: 3 bytes little-endian, last in bit 0, type in bits 2-1 (raw, RLE, compressed,
    // reserved), size above; an RLE block stores one byte. -1 for bytes that are not whole frames.
    private static long ZstdBound(ReadOnlySpan<byte> b)
    {
        long total = 0;
        int at = 0;
        while (at < b.Length)
        {
            if (b.Length - at < 8) return -1;
            uint magic = BitConverter.ToUInt32(b[at..]);
            if ((magic & 0xFFFFFFF0) == 0x184D2A50)
            {
                uint skip = BitConverter.ToUInt32(b[(at + 4)..]);
                at += 8;
                if (skip > b.Length - at) return -1;
                at += (int)skip;
                continue;
            }
            int d = b[at + 4];
            if (magic != 0xFD2FB528 || (d & 0x08) != 0) return -1;
            bool single = (d & 0x20) != 0;
            int p = at + 5;
            long window = 0;
            if (!single)
            {
                int w = b[p++];
                long windowBase = 1L << ((w >> 3) + 10);
                window = windowBase + windowBase / 8 * (w & 7);
            }
            p += (d & 3) switch { 0 => 0, 1 => 1, 2 => 2, _ => 4 };
            int sizeBytes = (d >> 6) switch { 0 => single ? 1 : 0, 1 => 2, 2 => 4, _ => 8 };
            if (p + sizeBytes > b.Length) return -1;
            ReadOnlySpan<byte> f = b.Slice(p, sizeBytes);
            ulong? content = sizeBytes switch
            {
                0 => null,
                1 => f[0],
                2 => BitConverter.ToUInt16(f) + 256u,
                4 => BitConverter.ToUInt32(f),
                _ => BitConverter.ToUInt64(f),
            };
            p += sizeBytes;
            if (content > long.MaxValue) return -1;
            if (single) window = (long)content!.Value;
            long blocks = 0;
            while (true)
            {
                if (b.Length - p < 3) return -1;
                int h = b[p] | b[p + 1] << 8 | b[p + 2] << 16;
                p += 3;
                int type = (h >> 1) & 3;
                int stored = type == 1 ? 1 : h >> 3;
                if (type == 3 || stored > b.Length - p) return -1;
                p += stored;
                blocks++;
                if ((h & 1) != 0) break;
            }
            if ((d & 0x04) != 0) p += 4;
            if (p > b.Length) return -1;
            total += content is { } c ? (long)c : blocks * Math.Min(window, 128 << 10);
            if (total < 0) return -1;
            at = p;
        }
        return total;
    }
}

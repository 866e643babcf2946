// A Parquet file (Apache Parquet, read by the fully managed Parquet.Net) as the same header and records the CSV reader
// gives, so that TabularSet reads both alike and says the same things about them (a missing column, a cell that is not
// a number, a missing value, a constant column). Flat files only: every column a primitive field (a list, map or
// struct column is refused by name); numbers become their shortest round-trip text (float32 and float64 "R"), a null
// cell the empty cell (a missing value), NaN "NaN" (a missing value), text (UTF-8 strings, and plain binary read as
// UTF-8) and booleans themselves. Records carry no line (Line 0): messages name the row. Only regular files are read,
// at most CsvReader.MaxBytes, and only once ParquetGuard has checked every size the file declares against the bytes
// that hold it.
// Reference: the Apache Parquet format (parquet.apache.org/docs/file-format): a file starts and ends with "PAR1".
using System.Globalization;
using Parquet;
using Parquet.Schema;

namespace Latent.Data.Tabular;

/// <summary>A Parquet file as the same header and records the CSV reader gives.</summary>
public static class ParquetTable
{
    private static readonly byte[] Magic = "PAR1"u8.ToArray();

    /// <summary>Whether the file at <paramref name="path"/> starts with Parquet's magic bytes "PAR1".</summary>
    public static bool IsParquet(string path)
    {
        try
        {
            using var f = File.OpenRead(path);
            Span<byte> head = stackalloc byte[4];
            return f.ReadAtLeast(head, 4, throwOnEndOfStream: false) == 4 && head.SequenceEqual(Magic);
        }
        catch (IOException) { return false; }
        catch (UnauthorizedAccessException) { return false; }
    }

    /// <summary>The column names and the rows (every cell as text) of the Parquet file at <paramref name="path"/>.</summary>
    public static (IReadOnlyList<string> Header, IReadOnlyList<CsvRecord> Records) Read(string path)
    {
        long size = RegularFile.Size(path, "a Parquet file");
        if (size > CsvReader.MaxBytes) throw new DataException($"{path}: {size} bytes, more than the {CsvReader.MaxBytes} bytes a table may have here; split it.");
        if (!IsParquet(path)) throw new DataException($"{path}: not a Parquet file (it does not start with the bytes PAR1); give a .parquet file, or the table as csv:FILE.");
        try { return ReadAsync(path).GetAwaiter().GetResult(); }
        catch (Exception e) when (e is not DataException and not OutOfMemoryException)
        {
            throw new DataException($"{path}: not a readable Parquet file ({e.Message.Split('\n')[0].Trim()}).", e);
        }
    }

    private static async Task<(IReadOnlyList<string>, IReadOnlyList<CsvRecord>)> ReadAsync(string path)
    {
        var file = File.OpenRead(path);
        using var stream = new PageBoundStream(file);
        long footer = ParquetGuard.CheckFooter(file.SafeFileHandle, file.Length);
        ParquetReader reader = await ParquetReader.CreateAsync(stream).ConfigureAwait(false);
        await using var _ = reader.ConfigureAwait(false);
        foreach (Field f in reader.Schema.Fields)
            if (f.SchemaType != SchemaType.Data || f.MaxRepetitionLevel > 0)
                throw new DataException($"{path}: column '{f.Name}' is a {(f.SchemaType == SchemaType.Data ? "list" : f.SchemaType.ToString().ToLowerInvariant())}, not a number or a label; a table here is flat (one value per cell).");
        stream.Arm(ParquetGuard.CheckRowGroups(file.SafeFileHandle, reader.Metadata ?? throw new InvalidDataException("no file metadata"), file.Length, footer));
        DataField[] fields = reader.Schema.GetDataFields();
        var header = fields.Select(f => f.Name).ToArray();
        var columns = new List<string[]>[fields.Length];
        for (int j = 0; j < fields.Length; j++) columns[j] = [];
        for (int g = 0; g < reader.RowGroupCount; g++)
        {
            using ParquetRowGroupReader group = reader.OpenRowGroupReader(g);
            int rows = checked((int)group.RowCount);
            for (int j = 0; j < fields.Length; j++) columns[j].Add(await Column(group, fields[j], rows, path).ConfigureAwait(false));
        }
        int n = columns.Length == 0 ? 0 : columns[0].Sum(c => c.Length);
        var cells = columns.Select(parts => parts.SelectMany(p => p).ToArray()).ToArray();
        var records = new CsvRecord[n];
        for (int i = 0; i < n; i++)
        {
            var row = new string[fields.Length];
            for (int j = 0; j < fields.Length; j++) row[j] = cells[j][i];
            records[i] = new CsvRecord(row, 0);
        }
        return (header, records);
    }

    /// <summary>The cells of one column of one row group as text.</summary>
    private static async Task<string[]> Column(ParquetRowGroupReader group, DataField field, int rows, string path)
    {
        Type t = field.ClrType;
        if (t == typeof(string) || t == typeof(ReadOnlyMemory<char>))
        {
            var s = new string?[rows];
            await group.ReadAsync(field, s.AsMemory()).ConfigureAwait(false);
            return [.. s.Select(v => v ?? "")];
        }
        if (t == typeof(ReadOnlyMemory<byte>)) // BINARY without a UTF-8 annotation: older writers' strings (Impala, Spark)
            return await Numbers<ReadOnlyMemory<byte>>(group, field, rows, v => System.Text.Encoding.UTF8.GetString(v.Span)).ConfigureAwait(false);
        if (t == typeof(double)) return await Numbers<double>(group, field, rows, v => v.ToString("R", CultureInfo.InvariantCulture)).ConfigureAwait(false);
        if (t == typeof(float)) return await Numbers<float>(group, field, rows, v => v.ToString("R", CultureInfo.InvariantCulture)).ConfigureAwait(false);
        if (t == typeof(int)) return await Numbers<int>(group, field, rows, v => v.ToString(CultureInfo.InvariantCulture)).ConfigureAwait(false);
        if (t == typeof(long)) return await Numbers<long>(group, field, rows, v => v.ToString(CultureInfo.InvariantCulture)).ConfigureAwait(false);
        if (t == typeof(uint)) return await Numbers<uint>(group, field, rows, v => v.ToString(CultureInfo.InvariantCulture)).ConfigureAwait(false);
        if (t == typeof(ulong)) return await Numbers<ulong>(group, field, rows, v => v.ToString(CultureInfo.InvariantCulture)).ConfigureAwait(false);
        if (t == typeof(ushort)) return await Numbers<ushort>(group, field, rows, v => v.ToString(CultureInfo.InvariantCulture)).ConfigureAwait(false);
        if (t == typeof(sbyte)) return await Numbers<sbyte>(group, field, rows, v => v.ToString(CultureInfo.InvariantCulture)).ConfigureAwait(false);
        if (t == typeof(short)) return await Numbers<short>(group, field, rows, v => v.ToString(CultureInfo.InvariantCulture)).ConfigureAwait(false);
        if (t == typeof(byte)) return await Numbers<byte>(group, field, rows, v => v.ToString(CultureInfo.InvariantCulture)).ConfigureAwait(false);
        if (t == typeof(decimal)) return await Numbers<decimal>(group, field, rows, v => v.ToString(CultureInfo.InvariantCulture)).ConfigureAwait(false);
        if (t == typeof(bool)) return await Numbers<bool>(group, field, rows, v => v ? "true" : "false").ConfigureAwait(false);
        string kind = t.IsGenericType ? $"{t.Name[..t.Name.IndexOf('`', StringComparison.Ordinal)]}<{string.Join(", ", t.GetGenericArguments().Select(a => a.Name))}>" : t.Name;
        throw new DataException($"{path}: column '{field.Name}' holds {kind} values, not numbers; a feature column must be numeric (or name it with --label-column if it is the class).");
    }

    private static async Task<string[]> Numbers<T>(ParquetRowGroupReader group, DataField field, int rows, Func<T, string> text) where T : struct
    {
        if (field.IsNullable)
        {
            var v = new T?[rows];
            await group.ReadAsync(field, v.AsMemory()).ConfigureAwait(false);
            return [.. v.Select(x => x is { } y ? text(y) : "")];
        }
        var w = new T[rows];
        await group.ReadAsync(field, w.AsMemory()).ConfigureAwait(false);
        return [.. w.Select(text)];
    }
}

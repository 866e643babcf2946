// A numeric table for the dense models, from a CSV file (CsvReader) or a Parquet file (ParquetTable): rows of D
// feature values, float32, row-major (N, D), with each row's class (from the label column, when one is named) and its
// line in the file (0 for Parquet), for messages. Every feature cell must be a
// finite number in invariant culture ("3.5", "-1e-3"); an empty cell, NaN, NA or a word is an error naming the row
// (data row number and file line) and the column. Classes are the label column's distinct values, numbers in numeric
// order and other text in ordinal order ("0" < "1" < "10"; "benign" < "malignant").
using System.Globalization;

namespace Latent.Data.Tabular;

/// <summary>A numeric table for the dense models.</summary>
public sealed class TabularSet
{
    private TabularSet(float[] features, int count, IReadOnlyList<string> columns, int[] labels, IReadOnlyList<string> classNames, int[] lines, string source)
    {
        (Features, Count, Columns, Labels, ClassNames, Lines, Source) = (features, count, columns, labels, classNames, lines, source);
    }

    /// <summary>(N, D) feature values.</summary>
#pragma warning disable CA1819 // the table is its value buffer; callers slice it
    public float[] Features { get; }
#pragma warning restore CA1819

    public int Count { get; }

    /// <summary>The feature columns' names, in the order of the values of a row.</summary>
    public IReadOnlyList<string> Columns { get; }

    /// <summary>(N) class indices into <see cref="ClassNames"/>; all 0 when the table has no label column.</summary>
    public IReadOnlyList<int> Labels { get; }

    /// <summary>The label column's values, or ["all"] without a label column.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>(N) the file line of each row.</summary>
    public IReadOnlyList<int> Lines { get; }

    public string Source { get; }

    public int Dim => Columns.Count;

    /// <summary>Reads the CSV file at <paramref name="path"/>: <paramref name="labelColumn"/> (null: none) is the class,
    /// every other column a feature, unless <paramref name="featureColumns"/> names the features to take (in that
    /// order: a model's columns), when other columns are ignored.</summary>
    public static TabularSet Load(string path, string? labelColumn, IReadOnlyList<string>? featureColumns = null)
    {
        var (header, records) = Read(path);
        return FromRecords(header, records, labelColumn, featureColumns, path);
    }

    /// <summary>The header and records of a table file: Parquet (ParquetTable) when it starts with "PAR1", else CSV.</summary>
    public static (IReadOnlyList<string> Header, IReadOnlyList<CsvRecord> Records) Read(string path) =>
        ParquetTable.IsParquet(path) ? ParquetTable.Read(path) : CsvReader.Read(path);

    /// <summary>As <see cref="Load"/>, from parsed CSV.</summary>
    public static TabularSet FromRecords(IReadOnlyList<string> header, IReadOnlyList<CsvRecord> records, string? labelColumn,
        IReadOnlyList<string>? featureColumns, string source)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(records);
        int label = -1;
        if (labelColumn is not null)
        {
            label = IndexOf(header, labelColumn);
            if (label < 0)
                throw new DataException($"{source}: no label column '{labelColumn}'{Suggest(labelColumn, header)}; the columns are {string.Join(", ", header)}.");
        }
        int[] take;
        if (featureColumns is null) take = [.. Enumerable.Range(0, header.Count).Where(k => k != label)];
        else
        {
            take = new int[featureColumns.Count];
            for (int j = 0; j < take.Length; j++)
            {
                take[j] = IndexOf(header, featureColumns[j]);
                if (take[j] < 0)
                    throw new DataException($"{source}: no column '{featureColumns[j]}', which the model was fitted on{Suggest(featureColumns[j], header)}; the model's columns are {string.Join(", ", featureColumns)}.");
            }
        }
        if (take.Length == 0) throw new DataException($"{source}: no feature columns besides the label column '{labelColumn}'.");
        int d = take.Length, n = records.Count;
        var x = new float[(long)n * d];
        var lines = new int[n];
        var text = new string[n];
        for (int i = 0; i < n; i++)
        {
            var r = records[i];
            lines[i] = r.Line;
            for (int j = 0; j < d; j++)
            {
                string cell = r.Fields[take[j]].Trim();
                x[(long)i * d + j] = Number(cell, i, r.Line, header[take[j]], source);
            }
            if (label >= 0)
            {
                text[i] = r.Fields[label].Trim();
                if (text[i].Length == 0) throw new DataException($"{source}: {Row(i, r.Line)}, column '{header[label]}': the label is empty.");
            }
        }
        string[] classes = label < 0 ? ["all"] : [.. text.Distinct(StringComparer.Ordinal).Order(LabelOrder.Instance)];
        int[] labels = label < 0 ? new int[n] : [.. text.Select(t => Array.IndexOf(classes, t))];
        return new TabularSet(x, n, [.. take.Select(k => header[k])], labels, classes, lines, source);
    }

    /// <summary>A finite number, or an error naming the row, line and column.</summary>
    private static float Number(string cell, int row, int line, string column, string source)
    {
        string where = $"{source}: {Row(row, line)}, column '{column}'";
        if (cell.Length == 0) throw new DataException($"{where}: the cell is empty (a missing value); fill it in or drop the row.");
        bool parsed = double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out double v);
        if ((parsed && double.IsNaN(v)) || cell.Equals("NA", StringComparison.OrdinalIgnoreCase) || cell.Equals("null", StringComparison.OrdinalIgnoreCase))
            throw new DataException($"{where}: '{cell}' is a missing value (NaN); fill it in or drop the row.");
        if (!parsed)
            throw new DataException($"{where}: '{Short(cell)}' is not a number; the feature columns must be numeric (or name this column with --label-column).");
        if (!double.IsFinite(v) || Math.Abs(v) > float.MaxValue)
            throw new DataException($"{where}: '{Short(cell)}' is not a finite float32 number; fix the cell or drop the row.");
        return (float)v;
    }

    /// <summary>"row 3 (line 4)" for a CSV record, "row 3" for a record without a line (Parquet).</summary>
    private static string Row(int row, int line) => line > 0 ? $"row {row + 1} (line {line})" : $"row {row + 1}";

    private static string Short(string s) => s.Length <= 40 ? s : s[..37] + "...";

    private static int IndexOf(IReadOnlyList<string> header, string name)
    {
        for (int k = 0; k < header.Count; k++)
            if (string.Equals(header[k], name.Trim(), StringComparison.Ordinal)) return k;
        for (int k = 0; k < header.Count; k++)
            if (string.Equals(header[k], name.Trim(), StringComparison.OrdinalIgnoreCase)) return k;
        return -1;
    }

    private static string Suggest(string name, IReadOnlyList<string> header)
    {
        var best = header.Select(h => (h, D: Distance(name.ToLowerInvariant(), h.ToLowerInvariant()))).MinBy(t => t.D);
        return best.h is not null && best.D <= Math.Max(2, name.Length / 4) ? $" (did you mean '{best.h}'?)" : "";
    }

    private static int Distance(string a, string b)
    {
        var prev = new int[b.Length + 1];
        var cur = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++) prev[j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            cur[0] = i;
            for (int j = 1; j <= b.Length; j++)
                cur[j] = Math.Min(Math.Min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            (prev, cur) = (cur, prev);
        }
        return prev[b.Length];
    }

    /// <summary>The rows whose index is in <paramref name="rows"/>, in that order (labels and class names kept).</summary>
    public TabularSet Select(IReadOnlyList<int> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        int d = Dim;
        var x = new float[(long)rows.Count * d];
        for (int k = 0; k < rows.Count; k++) Features.AsSpan(rows[k] * d, d).CopyTo(x.AsSpan(k * d, d));
        return new TabularSet(x, rows.Count, Columns, [.. rows.Select(r => Labels[r])], ClassNames, [.. rows.Select(r => Lines[r])], Source);
    }

    /// <summary>Numbers in numeric order before other text in ordinal order.</summary>
    private sealed class LabelOrder : IComparer<string>
    {
        public static readonly LabelOrder Instance = new();

        public int Compare(string? x, string? y)
        {
            bool nx = double.TryParse(x, NumberStyles.Float, CultureInfo.InvariantCulture, out double a);
            bool ny = double.TryParse(y, NumberStyles.Float, CultureInfo.InvariantCulture, out double b);
            if (nx && ny) return a.CompareTo(b) is var c && c != 0 ? c : string.CompareOrdinal(x, y);
            if (nx != ny) return nx ? -1 : 1;
            return string.CompareOrdinal(x, y);
        }
    }
}

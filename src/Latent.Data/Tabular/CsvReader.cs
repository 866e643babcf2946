// A small RFC 4180 reader: comma-separated fields, a field in double quotes may hold commas, line breaks and doubled
// quotes (""), lines end in CRLF or LF, a UTF-8 byte-order mark is dropped, blank lines are skipped. The first record
// is the header (column names). Every record must have the header's number of fields. Errors are DataExceptions
// naming the file and the line. Only regular files are read (RegularFile), at most MaxBytes.
// Reference: RFC 4180 (Common Format and MIME Type for CSV Files), section 2.
using System.Text;

namespace Latent.Data.Tabular;

/// <summary>One record of a CSV file: its fields and the line (1-based) it starts on.</summary>
public sealed record CsvRecord(IReadOnlyList<string> Fields, int Line);

/// <summary>A small RFC 4180 reader.</summary>
public static class CsvReader
{
    /// <summary>Largest file read: 1 GB.</summary>
    public const long MaxBytes = 1L << 30;

    /// <summary>The header and the records of the CSV file at <paramref name="path"/>.</summary>
    public static (IReadOnlyList<string> Header, IReadOnlyList<CsvRecord> Records) Read(string path)
    {
        long size = RegularFile.Size(path, "a CSV file");
        if (size > MaxBytes) throw new DataException($"{path}: {size} bytes, more than the {MaxBytes} bytes a CSV file may have here; split it.");
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(File.ReadAllBytes(path));
        }
        catch (DecoderFallbackException e)
        {
            throw new DataException($"{path}: not UTF-8 text (at byte {e.Index}); save the table as UTF-8 CSV.", e);
        }
        return Parse(text, path);
    }

    /// <summary>The header and records of CSV <paramref name="text"/>; <paramref name="source"/> names it in errors.</summary>
    public static (IReadOnlyList<string> Header, IReadOnlyList<CsvRecord> Records) Parse(string text, string source)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.StartsWith('\uFEFF')) text = text[1..];
        var records = new List<CsvRecord>();
        var fields = new List<string>();
        var field = new StringBuilder();
        int line = 1, start = 1, i = 0;
        bool any = false;                       // the current record has content (a field, a comma, a quote)
        while (i <= text.Length)
        {
            if (i == text.Length || text[i] is '\n' or '\r')
            {
                if (any)
                {
                    fields.Add(field.ToString());
                    records.Add(new CsvRecord([.. fields], start));
                }
                fields.Clear();
                field.Clear();
                any = false;
                if (i < text.Length && text[i] == '\r' && i + 1 < text.Length && text[i + 1] == '\n') i++;
                i++;
                line++;
                start = line;
                continue;
            }
            char ch = text[i];
            any = true;
            if (ch == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
                i++;
            }
            else if (ch == '"' && field.Length == 0)
            {
                int quoteLine = line;
                i++;
                while (true)
                {
                    if (i >= text.Length) throw new DataException($"{source}: line {quoteLine}: a quoted field is not closed (a \" is missing).");
                    if (text[i] == '"')
                    {
                        if (i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i += 2; continue; }
                        i++;
                        break;
                    }
                    if (text[i] == '\n') line++;
                    field.Append(text[i++]);
                }
                if (i < text.Length && text[i] is not (',' or '\n' or '\r'))
                    throw new DataException($"{source}: line {line}: text after a closing quote; a field is either quoted whole or not at all.");
            }
            else
            {
                field.Append(ch);
                i++;
            }
        }
        if (records.Count == 0) throw new DataException($"{source}: the file is empty; a CSV table starts with a header of column names.");
        var header = records[0].Fields;
        for (int k = 0; k < header.Count; k++)
            if (string.IsNullOrWhiteSpace(header[k])) throw new DataException($"{source}: line {records[0].Line}: column {k + 1} of the header has no name.");
        var dup = header.GroupBy(h => h.Trim(), StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (dup is not null) throw new DataException($"{source}: line {records[0].Line}: the header names column '{dup.Key}' twice.");
        foreach (var r in records.Skip(1))
            if (r.Fields.Count != header.Count)
                throw new DataException($"{source}: line {r.Line} has {r.Fields.Count} fields but the header has {header.Count} columns.");
        if (records.Count == 1) throw new DataException($"{source}: the table has a header but no rows.");
        return ([.. header.Select(h => h.Trim())], records.Skip(1).ToList());
    }
}

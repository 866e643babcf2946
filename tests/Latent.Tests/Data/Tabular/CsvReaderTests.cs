// CsvReader: RFC 4180 quoting (commas, doubled quotes and line breaks inside quotes), CRLF and LF, a byte-order mark,
// blank lines; and one-line errors naming the line for a ragged row, an unclosed quote, a header without names.
using Latent.Data;
using Latent.Data.Tabular;

namespace Latent.Tests.Data.Tabular;

public sealed class CsvReaderTests
{
    [Fact]
    public void QuotedFieldsCrlfAndBlankLinesParseAsRfc4180Says()
    {
        var (header, rows) = CsvReader.Parse("\uFEFFa, b ,c\r\n1,\"x, \"\"y\"\"\",3\r\n\r\n4,\"two\nlines\",6\n", "t.csv");
        Assert.Equal(["a", "b", "c"], header);
        Assert.Equal(2, rows.Count);
        Assert.Equal(["1", "x, \"y\"", "3"], rows[0].Fields);
        Assert.Equal(2, rows[0].Line);
        Assert.Equal(["4", "two\nlines", "6"], rows[1].Fields);
        Assert.Equal(4, rows[1].Line);
    }

    [Theory]
    [InlineData("a,b\n1,2\n3\n", "t.csv: line 3 has 1 fields but the header has 2 columns.")]
    [InlineData("a,b\n1,\"2\n", "t.csv: line 2: a quoted field is not closed (a \" is missing).")]
    [InlineData("a,,c\n1,2,3\n", "t.csv: line 1: column 2 of the header has no name.")]
    [InlineData("a,a\n1,2\n", "t.csv: line 1: the header names column 'a' twice.")]
    [InlineData("a,b\n", "t.csv: the table has a header but no rows.")]
    [InlineData("", "t.csv: the file is empty; a CSV table starts with a header of column names.")]
    [InlineData("a,b\n\"1\"x,2\n", "t.csv: line 2: text after a closing quote; a field is either quoted whole or not at all.")]
    public void MalformedTablesNameTheLine(string text, string message) =>
        Assert.Equal(message, Assert.Throws<DataException>(() => CsvReader.Parse(text, "t.csv")).Message);
}

// Parquet tables (issue 18 item 5, "and Parquet if cheap"): a Parquet file written here with Parquet.Net reads as the
// same TabularSet as the same table in CSV (features, classes, a model's columns by name), and its bad cells give the
// CSV's messages naming the row (no line: Parquet has none) and the column: a missing label column, a non-numeric
// column, a NaN or null cell; a nested column and a file that is not Parquet are one-line data errors.
using Latent.Data;
using Latent.Data.Tabular;
using Parquet;
using Parquet.Schema;

namespace Latent.Tests.Data.Tabular;

public sealed class ParquetTableTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>A Parquet file of the given columns (name, CLR type, values), one row group.</summary>
    internal static Task<string> Write(string path, params (string Name, Type Type, Array Values)[] columns) =>
        Write(path, null, columns);

    /// <summary>The same, compressed with <paramref name="compression"/> (null: Parquet.Net's default).</summary>
    internal static async Task<string> Write(string path, CompressionMethod? compression, params (string Name, Type Type, Array Values)[] columns)
    {
        var fields = columns.Select(c => new DataField(c.Name, c.Type)).ToArray();
        await using (var stream = File.Create(path))
        {
            var options = new ParquetOptions();
            if (compression is { } c) options.CompressionMethod = c;
            await using ParquetWriter writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), stream, options);
            using ParquetRowGroupWriter group = writer.CreateRowGroup();
            for (int j = 0; j < columns.Length; j++)
            {
                var v = columns[j].Values;
                var task = v switch
                {
                    double[] d => group.WriteAsync(fields[j], (ReadOnlyMemory<double>)d),
                    double?[] d => group.WriteAsync(fields[j], (ReadOnlyMemory<double?>)d),
                    float[] f => group.WriteAsync(fields[j], (ReadOnlyMemory<float>)f),
                    int[] i => group.WriteAsync(fields[j], (ReadOnlyMemory<int>)i),
                    string[] s => group.WriteAsync(fields[j], s),
                    _ => throw new ArgumentException($"no writer for {v.GetType()}"),
                };
                await task;
            }
        }
        return path;
    }

    private string File_(string name) => _dir.File(name);

    [Fact]
    public async Task AParquetTableReadsAsTheSameCsvTable()
    {
        string parquet = await Write(File_("t.parquet"), ("x", typeof(double), new[] { 1.5, 3, 5, 7 }), ("label", typeof(string), new[] { "10", "2", "10", "b" }),
            ("y", typeof(float), new[] { -2f, 0.4f, 6f, 8f }), ("n", typeof(int), new[] { 1, 2, 3, 4 }));
        string csv = File_("t.csv");
        File.WriteAllText(csv, "x,label,y,n\n1.5,10,-2,1\n3,2,0.4,2\n5,10,6,3\n7,b,8,4\n");
        Assert.True(ParquetTable.IsParquet(parquet));
        Assert.False(ParquetTable.IsParquet(csv));
        TabularSet p = TabularSet.Load(parquet, "label"), c = TabularSet.Load(csv, "label");
        Assert.Equal(c.Columns, p.Columns);
        Assert.Equal(c.Features, p.Features);
        Assert.Equal(c.ClassNames, p.ClassNames);
        Assert.Equal(c.Labels, p.Labels);
        Assert.Equal([0, 0, 0, 0], p.Lines);
        Assert.Equal([8f, 7f], TabularSet.Load(parquet, null, ["y", "x"]).Features[6..]);
    }

    [Fact]
    public async Task BadCellsNameTheRowAndColumn()
    {
        string path = await Write(File_("words.parquet"), ("x", typeof(double), new[] { 1.0, 2 }), ("label", typeof(string), new[] { "a", "b" }), ("y", typeof(string), new[] { "2", "abc" }));
        Assert.Equal($"{path}: row 2, column 'y': 'abc' is not a number; the feature columns must be numeric (or name this column with --label-column).",
            Assert.Throws<DataException>(() => TabularSet.Load(path, "label")).Message);
        path = await Write(File_("nan.parquet"), ("x", typeof(double), new[] { 1.0, double.NaN }), ("label", typeof(string), new[] { "a", "b" }));
        Assert.Equal($"{path}: row 2, column 'x': 'NaN' is a missing value (NaN); fill it in or drop the row.",
            Assert.Throws<DataException>(() => TabularSet.Load(path, "label")).Message);
        path = await Write(File_("null.parquet"), ("x", typeof(double?), new double?[] { 1.0, null }), ("label", typeof(string), new[] { "a", "b" }));
        Assert.Equal($"{path}: row 2, column 'x': the cell is empty (a missing value); fill it in or drop the row.",
            Assert.Throws<DataException>(() => TabularSet.Load(path, "label")).Message);
        Assert.Equal($"{path}: no label column 'labl' (did you mean 'label'?); the columns are x, label.",
            Assert.Throws<DataException>(() => TabularSet.Load(path, "labl")).Message);
    }

    [Fact]
    public async Task ANestedColumnOrAFileThatIsNotParquetIsADataError()
    {
        string path = File_("nested.parquet");
        var schema = new ParquetSchema(new DataField<double>("x"), new ListField("tags", new DataField<string>("tag")));
        await using (var stream = File.Create(path))
        {
            await using ParquetWriter writer = await ParquetWriter.CreateAsync(schema, stream);
            using ParquetRowGroupWriter group = writer.CreateRowGroup();
            await group.WriteAsync(schema.GetDataFields()[0], (ReadOnlyMemory<double>)new[] { 1.0 });
            await group.WriteAsync(schema.GetDataFields()[1], new[] { "a" }, new[] { 0 });
        }
        var e = Assert.Throws<DataException>(() => ParquetTable.Read(path));
        Assert.Equal($"{path}: column 'tags' is a list, not a number or a label; a table here is flat (one value per cell).", e.Message);
        string truncated = File_("cut.parquet");
        byte[] whole = File.ReadAllBytes(await Write(File_("whole.parquet"), ("x", typeof(double), new[] { 1.0, 2 })));
        File.WriteAllBytes(truncated, whole[..(whole.Length / 2)]);
        Assert.StartsWith($"{truncated}: not a readable Parquet file (", Assert.Throws<DataException>(() => ParquetTable.Read(truncated)).Message, StringComparison.Ordinal);
        string text = File_("text.parquet");
        File.WriteAllText(text, "x,y\n1,2\n");
        Assert.Equal($"{text}: not a Parquet file (it does not start with the bytes PAR1); give a .parquet file, or the table as csv:FILE.",
            Assert.Throws<DataException>(() => ParquetTable.Read(text)).Message);
    }
}

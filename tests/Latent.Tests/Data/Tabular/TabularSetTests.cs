// TabularSet (issue 18 item 5, "bad CSV"): a non-numeric cell, a NaN or empty cell and a missing label column are each
// a one-line DataException naming the row and column; classes come from the label column (numbers in numeric order,
// then text); a model's columns are taken by name in its order, other columns ignored.
using Latent.Data;
using Latent.Data.Tabular;

namespace Latent.Tests.Data.Tabular;

public sealed class TabularSetTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void FeaturesLabelsAndClassesAreRead()
    {
        string path = _dir.Csv("x,label,y\n1.5,10,-2\n3,2,4e-1\n5,10,6\n7,b,8\n");
        var t = TabularSet.Load(path, "label");
        Assert.Equal(["x", "y"], t.Columns);
        Assert.Equal([1.5f, -2f, 3f, 0.4f, 5f, 6f, 7f, 8f], t.Features);
        Assert.Equal(["2", "10", "b"], t.ClassNames);
        Assert.Equal([1, 0, 1, 2], t.Labels);
        Assert.Equal([2, 3, 4, 5], t.Lines);
        var byModel = TabularSet.Load(path, null, ["y", "x"]);
        Assert.Equal([-2f, 1.5f], byModel.Features[..2]);
        Assert.Equal(["all"], byModel.ClassNames);
    }

    [Fact]
    public void BadCellsNameTheRowAndColumn()
    {
        string path = _dir.Csv("x,label,y\n1,a,2\n3,b,abc\n");
        Assert.Equal($"{path}: row 2 (line 3), column 'y': 'abc' is not a number; the feature columns must be numeric (or name this column with --label-column).",
            Assert.Throws<DataException>(() => TabularSet.Load(path, "label")).Message);
        path = _dir.Csv("x,label,y\n1,a,2\nNaN,b,3\n");
        Assert.Equal($"{path}: row 2 (line 3), column 'x': 'NaN' is a missing value (NaN); fill it in or drop the row.",
            Assert.Throws<DataException>(() => TabularSet.Load(path, "label")).Message);
        path = _dir.Csv("x,label,y\n1,a,\n");
        Assert.Equal($"{path}: row 1 (line 2), column 'y': the cell is empty (a missing value); fill it in or drop the row.",
            Assert.Throws<DataException>(() => TabularSet.Load(path, "label")).Message);
        path = _dir.Csv("x,label,y\n1e999,a,1\n");
        Assert.Contains("row 1 (line 2), column 'x': '1e999' is not a finite float32 number", Assert.Throws<DataException>(() => TabularSet.Load(path, "label")).Message, StringComparison.Ordinal);
        path = _dir.Csv("x,label,y\n1,,2\n");
        Assert.Contains("row 1 (line 2), column 'label': the label is empty", Assert.Throws<DataException>(() => TabularSet.Load(path, "label")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AMissingLabelColumnListsTheColumnsAndSuggestsOne()
    {
        string path = _dir.Csv("radius,diagnosis\n1,a\n");
        Assert.Equal($"{path}: no label column 'diagnoss' (did you mean 'diagnosis'?); the columns are radius, diagnosis.",
            Assert.Throws<DataException>(() => TabularSet.Load(path, "diagnoss")).Message);
        Assert.Contains("no column 'area', which the model was fitted on", Assert.Throws<DataException>(() => TabularSet.Load(path, null, ["radius", "area"])).Message, StringComparison.Ordinal);
        Assert.Contains("is a folder, not a file", Assert.Throws<DataException>(() => TabularSet.Load(_dir.Path, null)).Message, StringComparison.Ordinal);
    }
}

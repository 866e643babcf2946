// Tables on the command line (issue 18 item 5): classmodel on the Wisconsin breast-cancer table (benign normal,
// malignant novel; results/tabular/breast_cancer.csv, written by scripts/peer_tabular.py from Debian's
// python3-sklearn copy) gives scikit-learn's PCA reconstruction AUROC on the same split to 1e-9 (the expected values
// are that script's output); train stores the standardisation and score applies it to rows found by column name;
// bad tables and models that cannot take features are one-line errors naming the row and column or what works.
using System.Text.Json;

namespace Latent.Tests.Cli;

public sealed class TabularCommandTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    internal static string BreastCancer() => Path.Combine(TestData.RepositoryRoot, "results", "tabular", "breast_cancer.csv");

    [Fact]
    public void BreastCancerPcaMatchesScikitLearnOnTheSameSplit()
    {
        var r = CliRunner.Run("classmodel", "--dataset", "csv:" + BreastCancer(), "--label-column", "diagnosis", "--real", "benign", "--fake", "malignant",
            "--model", "pca", "--latent", "2,5,10", "--score", "recon", "--json");
        Assert.True(r.ExitCode == 0, r.Err);
        var results = JsonDocument.Parse(r.Out).RootElement.GetProperty("results").EnumerateArray().ToList();
        // /usr/bin/python3 scripts/peer_tabular.py: sklearn PCA(k, svd_solver="full") squared reconstruction error
        double[] auroc = [0.8712273641851106, 0.8832997987927567, 0.8926894701542588];
        double[] balanced = [0.19869215291750503, 0.18024815560026825, 0.15811535881958416];
        Assert.Equal(3, results.Count);
        for (int k = 0; k < 3; k++)
        {
            Assert.Equal(auroc[k], results[k].GetProperty("auroc").GetDouble(), 9);
            Assert.Equal(balanced[k], results[k].GetProperty("balancedError").GetDouble(), 9);
        }
        var text = CliRunner.Run("classmodel", "--dataset", "csv:" + BreastCancer(), "--label-column", "diagnosis", "--real", "benign", "--fake", "malignant", "--model", "pca", "--latent", "2");
        Assert.Contains("286 training images, testing 71 real vs 42 fake", text.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void TrainStoresTheScalingAndScoreFindsTheColumnsByName()
    {
        string table = _dir.Csv("a,b,label,c\n1,10,x,5\n2,12,x,3\n3,11,x,4\n4,13,x,6\n9,40,y,1\n");
        string model = _dir.File("g.safetensors");
        var t = CliRunner.Run("train", "--model", "gaussian", "--dataset", "csv:" + table, "--label-column", "label", "--class", "x", "--out", model);
        Assert.True(t.ExitCode == 0, t.Err);
        Assert.Contains("3 feature columns standardised by the mean and sd of the 4 fitting rows", t.Err, StringComparison.Ordinal);
        string reordered = _dir.Csv("c,note,b,a\n5,first,10,1\n1,odd,40,9\n");
        var s1 = CliRunner.Run("score", "--model-file", model, "--input", "csv:" + table, "--format", "csv");
        var s2 = CliRunner.Run("score", "--model-file", model, "--input", "csv:" + reordered, "--format", "csv");
        Assert.True(s1.ExitCode == 0 && s2.ExitCode == 0, s1.Err + s2.Err);
        string[] rows1 = s1.Out.Trim().Split('\n'), rows2 = s2.Out.Trim().Split('\n');
        Assert.Equal(6, rows1.Length);
        Assert.Equal(rows1[1].Split(',')[^1], rows2[1].Split(',')[^1]);   // row 1 of both: the same nll
        Assert.Equal(rows1[5].Split(',')[^1], rows2[2].Split(',')[^1]);   // the novel row
        Assert.True(double.Parse(rows1[5].Split(',')[^1], System.Globalization.CultureInfo.InvariantCulture) > 10 * double.Parse(rows1[1].Split(',')[^1], System.Globalization.CultureInfo.InvariantCulture));
        Assert.EndsWith($"{Path.GetFullPath(table)}:2,{rows1[1].Split(',')[^1]}", rows1[1].Trim(), StringComparison.Ordinal);

        CliRunner.AssertOneLineError(CliRunner.Run("score", "--model-file", model, "--input", TestData.SubsetDir), 2, "was fitted on a table (columns a, b, c); give the rows to score as --input csv:FILE.");
        CliRunner.AssertOneLineError(CliRunner.Run("score", "--model-file", model, "--input", "csv:" + _dir.Csv("a,b\n1,2\n")), 1, "no column 'c', which the model was fitted on");
    }

    [Fact]
    public void BadTablesNameTheRowAndColumn()
    {
        string ok = "a,b,label\n1,2,x\n2,3,x\n3,5,x\n";
        CliRunner.AssertOneLineError(CliRunner.Run("classmodel", "--dataset", "csv:" + _dir.Csv(ok + "4,oops,x\n"), "--label-column", "label", "--real", "x", "--fake", "rest", "--model", "pca", "--latent", "1"), 1,
            "row 4 (line 5), column 'b': 'oops' is not a number");
        CliRunner.AssertOneLineError(CliRunner.Run("train", "--model", "pca", "--latent", "1", "--dataset", "csv:" + _dir.Csv(ok + "NaN,1,x\n"), "--label-column", "label", "--class", "x", "--out", _dir.File("m1.safetensors")), 1,
            "row 4 (line 5), column 'a': 'NaN' is a missing value (NaN)");
        CliRunner.AssertOneLineError(CliRunner.Run("train", "--model", "pca", "--latent", "1", "--dataset", "csv:" + _dir.Csv(ok), "--label-column", "lable", "--class", "x", "--out", _dir.File("m2.safetensors")), 1,
            "no label column 'lable' (did you mean 'label'?); the columns are a, b, label.");
        CliRunner.AssertOneLineError(CliRunner.Run("train", "--model", "gaussian", "--dataset", "csv:" + _dir.Csv("a,b,label\n1,7,x\n2,7,x\n3,7,x\n"), "--label-column", "label", "--class", "x", "--out", _dir.File("m3.safetensors")), 1,
            "column 'b' is constant (7 in all 3 rows), so it cannot be standardised; drop the column.");
        CliRunner.AssertOneLineError(CliRunner.Run("classmodel", "--dataset", "csv:" + _dir.Csv(ok), "--real", "x", "--fake", "rest"), 2, "needs --label-column NAME, the column holding each row's class");
        CliRunner.AssertOneLineError(CliRunner.Run("classmodel", "--dataset", "csv:" + _dir.Csv(ok), "--label-column", "label"), 2, "has the classes x: choose the modelled class with --real");
        CliRunner.AssertOneLineError(CliRunner.Run("classmodel", "--dataset", "csv:" + _dir.File("none.csv"), "--label-column", "label"), 2, "the file " + _dir.File("none.csv") + " does not exist.");
    }

    [Fact]
    public void ModelsThatCannotTakeFeaturesSayWhichCan()
    {
        string table = "csv:" + BreastCancer();
        string[] common = ["--dataset", table, "--label-column", "diagnosis", "--real", "benign", "--fake", "malignant"];
        CliRunner.AssertOneLineError(CliRunner.Run(["classmodel", .. common, "--model", "maf"]), 2, "--model maf is a density of 8-bit images (pixel levels k / 255, dequantised), not of real-valued features; for a table use pca, gaussian or knn");
        CliRunner.AssertOneLineError(CliRunner.Run(["classmodel", .. common, "--model", "vae"]), 2, "--model vae on a table needs dense networks: add --arch dense --likelihood gaussian");
        CliRunner.AssertOneLineError(CliRunner.Run(["classmodel", .. common, "--model", "vae", "--arch", "dense"]), 2, "needs --likelihood gaussian: a Bernoulli decoder models values in [0, 1]");
        CliRunner.AssertOneLineError(CliRunner.Run(["classmodel", .. common, "--model", "bigan"]), 2, "--model bigan needs images; for a table use");
        CliRunner.AssertOneLineError(CliRunner.Run(["classmodel", .. common, "--model", "pixelcnn"]), 2, "--model pixelcnn is a density of 8-bit images");
    }

    [Fact]
    public async Task AParquetTableGivesTheCsvTablesResults()
    {
        string csv = _dir.Csv("a,b,label,c\n1,10,x,5\n2,12,x,3\n3,11,x,4\n4,13,x,6\n9,40,y,1\n");
        string parquet = await Data.Tabular.ParquetTableTests.Write(_dir.File("t.parquet"), ("a", typeof(double), new[] { 1.0, 2, 3, 4, 9 }), ("b", typeof(int), new[] { 10, 12, 11, 13, 40 }),
            ("label", typeof(string), new[] { "x", "x", "x", "x", "y" }), ("c", typeof(float), new[] { 5f, 3, 4, 6, 1 }));
        string fromCsv = _dir.File("csv.safetensors"), fromParquet = _dir.File("parquet.safetensors");
        var t1 = CliRunner.Run("train", "--model", "gaussian", "--dataset", "csv:" + csv, "--label-column", "label", "--class", "x", "--out", fromCsv);
        var t2 = CliRunner.Run("train", "--model", "gaussian", "--dataset", "parquet:" + parquet, "--label-column", "label", "--class", "x", "--out", fromParquet);
        Assert.True(t1.ExitCode == 0 && t2.ExitCode == 0, t1.Err + t2.Err);
        var s1 = CliRunner.Run("score", "--model-file", fromCsv, "--input", "csv:" + csv, "--format", "csv");
        var s2 = CliRunner.Run("score", "--model-file", fromParquet, "--input", "parquet:" + parquet, "--format", "csv");
        Assert.True(s1.ExitCode == 0 && s2.ExitCode == 0, s1.Err + s2.Err);
        string Scores(string output) => string.Join("\n", output.Trim().Split('\n').Skip(1).Select(r => r.Split(',')[^1]));
        Assert.Equal(Scores(s1.Out), Scores(s2.Out));
        Assert.Contains($"{Path.GetFullPath(parquet)}#row5", s2.Out, StringComparison.Ordinal);
        var cancer = Latent.Data.Tabular.TabularSet.Load(BreastCancer(), "diagnosis");                 // the same table as Parquet
        var columns = cancer.Columns.Select((name, j) => (name, typeof(double), (Array)Enumerable.Range(0, cancer.Count).Select(i => (double)cancer.Features[i * cancer.Dim + j]).ToArray()))
            .Append(("diagnosis", typeof(string), cancer.Labels.Select(l => cancer.ClassNames[l]).ToArray())).ToArray();
        string cancerParquet = await Data.Tabular.ParquetTableTests.Write(_dir.File("cancer.parquet"), columns);
        string[] common = ["--label-column", "diagnosis", "--real", "benign", "--fake", "malignant", "--model", "pca", "--latent", "5", "--score", "recon", "--json"];
        var c1 = CliRunner.Run(["classmodel", "--dataset", "csv:" + BreastCancer(), .. common]);
        var c2 = CliRunner.Run(["classmodel", "--dataset", "parquet:" + cancerParquet, .. common]);
        Assert.True(c1.ExitCode == 0 && c2.ExitCode == 0, c1.Err + c2.Err);
        double Auroc(string json) => JsonDocument.Parse(json).RootElement.GetProperty("results")[0].GetProperty("auroc").GetDouble();
        Assert.Equal(Auroc(c1.Out), Auroc(c2.Out));

        string constant = await Data.Tabular.ParquetTableTests.Write(_dir.File("constant.parquet"), ("a", typeof(double), new[] { 1.0, 2, 3 }), ("b", typeof(double), new[] { 7.0, 7, 7 }), ("label", typeof(string), new[] { "x", "x", "x" }));
        CliRunner.AssertOneLineError(CliRunner.Run("train", "--model", "gaussian", "--dataset", "parquet:" + constant, "--label-column", "label", "--class", "x", "--out", _dir.File("m.safetensors")), 1,
            "column 'b' is constant (7 in all 3 rows), so it cannot be standardised; drop the column.");
        CliRunner.AssertOneLineError(CliRunner.Run("train", "--model", "gaussian", "--dataset", "parquet:" + constant, "--label-column", "lable", "--class", "x", "--out", _dir.File("m.safetensors")), 1,
            "no label column 'lable' (did you mean 'label'?); the columns are a, b, label.");
        CliRunner.AssertOneLineError(CliRunner.Run("train", "--model", "gaussian", "--dataset", "parquet:" + csv, "--label-column", "label", "--class", "x", "--out", _dir.File("m.safetensors")), 1,
            "is not a Parquet file (it does not start with the bytes PAR1); for a CSV table write csv:");
        CliRunner.AssertOneLineError(CliRunner.Run("train", "--model", "gaussian", "--dataset", "parquet:" + _dir.File("none.parquet"), "--label-column", "label", "--class", "x", "--out", _dir.File("m.safetensors")), 2,
            "does not exist.");
    }
}

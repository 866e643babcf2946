// `latent export` end to end: the file it writes is the graph ONNX Runtime runs; and each bad input is one line and
// the documented exit code: an unknown --format (2), a model without a graph (kNN's re-ranking metrics, an image
// invariance: 2), a score without a graph (2: jacobian, a GAN's searched codes, a flow's complexity), an --out
// that is a folder or in a missing folder (2), an --out that is a FIFO (1); a failed export leaves an existing file
// untouched (the file is written to a temporary name and renamed).
using System.Diagnostics;
using Latent.Cli;
using Latent.Models;
using Latent.Models.Classical;
using Latent.Models.Invariance;

namespace Latent.Onnx.Tests;

[Collection(ExportedModels.Collection)]
public class ExportCommandTests(ExportedModels models)
{
    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        int code = LatentCommand.Run(args, o, e);
        return (code, o.ToString(), e.ToString());
    }

    private string ModelFilePath(string name, string dir)
    {
        string path = Path.Combine(dir, name + ".safetensors");
        var loaded = models.Get(name);
        ModelFile.Save(path, loaded.Entry, loaded.Model, loaded.Epoch);
        return path;
    }

    [Fact]
    public void ExportWritesTheGraphThatOnnxRuntimeRuns()
    {
        using var dir = new TempFolder();
        string model = ModelFilePath("pca", dir.Path), onnx = Path.Combine(dir.Path, "pca.onnx");
        var (code, stdout, err) = Run("export", "--model-file", model, "--format", "onnx", "--score", "ppca", "--out", onnx);
        Assert.True(code == 0, err);
        Assert.Contains("score = ppca", stdout, StringComparison.Ordinal);
        var test = models.Test.Slice(0, 50);
        var got = Ort.Run(File.ReadAllBytes(onnx), test)["score"];
        var want = models.Get("pca").Model.Score(test)["ppca"];
        for (int i = 0; i < want.Length; i++) Assert.True(Math.Abs(got[i] - want[i]) <= 1e-4 * Math.Abs(want[i]), $"image {i}: ONNX {got[i]}, ours {want[i]}");
        var json = Run("export", "--model-file", model, "--format", "ONNX", "--out", onnx, "--json");
        Assert.Equal(0, json.Code);
        Assert.Contains("\"score\":\"latent-nll\"", json.Out.Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("gaussian", "nll")]
    [InlineData("knn", "distance")]
    [InlineData("pca", "ppca")]
    public void AModelOfATableTakesTheRawColumnsAndStandardisesThem(string kind, string score)
    {
        using var dir = new TempFolder();
        string table = Path.Combine(OnnxCheckerTests.RepoRoot(), "results", "tabular", "breast_cancer.csv");
        string model = Path.Combine(dir.Path, kind + ".safetensors"), onnx = Path.Combine(dir.Path, kind + ".onnx");
        string[] latent = kind == "pca" ? ["--latent", "5"] : [];
        var train = Run(["train", "--model", kind, .. latent, "--dataset", "csv:" + table, "--label-column", "diagnosis", "--class", "benign", "--out", model]);
        Assert.True(train.Code == 0, train.Err);
        var export = Run("export", "--model-file", model, "--format", "onnx", "--score", score, "--out", onnx);
        Assert.True(export.Code == 0, export.Err);
        var loaded = ModelFile.Load(model);
        var all = Latent.Data.Tabular.TabularSet.Load(table, "diagnosis", loaded.Features!.Columns);   // the raw columns, the model's order
        int malignant = all.ClassNames.ToList().IndexOf("malignant");                             // rows not fitted on (a fitted row is
        var rows = all.Select([.. Enumerable.Range(0, all.Count).Where(i => all.Labels[i] == malignant)]);   // kNN's distance 0 to itself)
        var raw = new Samples(rows.Features, rows.Count, ImageShape.Flat(rows.Dim));
        double[] want = loaded.Model.Score(loaded.Features.Apply(raw))[score];
        float[] got = Ort.Run(File.ReadAllBytes(onnx), raw)["score"];
        Assert.Equal(212, got.Length);
        for (int i = 0; i < want.Length; i++) Assert.True(Math.Abs(got[i] - want[i]) <= 1e-4 * Math.Abs(want[i]), $"{kind} row {i + 1}: ONNX {got[i]}, ours {want[i]}");
    }

    [Fact]
    public void AnUnknownFormatIsAUsageError()
    {
        using var dir = new TempFolder();
        var (code, stdout, err) = Run("export", "--model-file", ModelFilePath("gaussian", dir.Path), "--format", "onx", "--out", Path.Combine(dir.Path, "g.onnx"));
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.Contains("--format onx: unknown format (did you mean 'onnx'?)", err, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(dir.Path, "g.onnx")));
    }

    [Theory]
    [InlineData("tangent", null, "with --metric tangent, its tangent distance re-ranks the Euclidean candidates by a least-squares solve per pair")]
    [InlineData("emd", null, "with --metric emd, its earth mover's distance re-ranks the Euclidean candidates by an exact transport solve per pair")]
    [InlineData("sliced-wasserstein", null, "with --metric sliced-wasserstein, its sliced Wasserstein distance re-ranks the Euclidean candidates by sorting")]
    [InlineData("euclidean", "deskew", "it was fitted with the image invariance 'deskew' (--preprocess, --tta): deskewing and centring warp each image by its own moments")]
    public void AModelWithoutAGraphIsAClearError(string metric, string? preprocess, string why)
    {
        using var dir = new TempFolder();
        var entry = ModelRegistry.Get("knn");
        var train = models.Test.Slice(0, 40);
        var options = new KnnOptions
        {
            Metric = metric switch { "tangent" => DistanceMetric.Tangent, "emd" => DistanceMetric.Emd, "sliced-wasserstein" => DistanceMetric.SlicedWasserstein, _ => DistanceMetric.Euclidean },
            Invariance = preprocess is null ? null : new ImageInvariance { Preprocess = Preprocess.Deskew },
        };
        var knn = Assert.Single(entry.Fit(train, [new FitItem(options)], FitContext.None));
        string path = Path.Combine(dir.Path, "knn.safetensors");
        ModelFile.Save(path, entry, knn);
        var (code, _, err) = Run("export", "--model-file", path, "--format", "onnx", "--out", Path.Combine(dir.Path, "knn.onnx"));
        Assert.Equal(2, code);
        Assert.Contains("model 'knn' cannot be exported to ONNX: " + why, err, StringComparison.Ordinal);
        Assert.Contains("exportable kinds: pca, gaussian, knn, ae, dae, vae, aae, wae, gan, bigan, infogan, pixelcnn, realnvp, made, maf.", err, StringComparison.Ordinal);
        Assert.Single(err.Trim().Split('\n'));
        Assert.False(File.Exists(Path.Combine(dir.Path, "knn.onnx")));
    }

    [Fact]
    public void AScoreWithoutAGraphIsAClearError()
    {
        using var dir = new TempFolder();
        string model = ModelFilePath("ae", dir.Path);
        var (code, _, err) = Run("export", "--model-file", model, "--format", "onnx", "--score", "jacobian", "--out", Path.Combine(dir.Path, "ae.onnx"));
        Assert.Equal(2, code);
        Assert.Contains("score 'jacobian' of the ae model cannot be written as an ONNX graph", err, StringComparison.Ordinal);
        Assert.Contains("exportable scores: recon, recon-bce, latent-nll, latent-nll-fit, combined", err, StringComparison.Ordinal);
        var gan = Run("export", "--model-file", ModelFilePath("gan", dir.Path), "--format", "onnx", "--score", "recon", "--out", Path.Combine(dir.Path, "gan.onnx"));
        Assert.Equal(2, gan.Code);
        Assert.Contains("this version writes only a GAN's discriminator score", gan.Err, StringComparison.Ordinal);
        Assert.Contains("exportable scores: discriminator.", gan.Err, StringComparison.Ordinal);
        var flow = Run("export", "--model-file", ModelFilePath("maf", dir.Path), "--format", "onnx", "--score", "complexity", "--out", Path.Combine(dir.Path, "maf.onnx"));
        Assert.Equal(2, flow.Code);
        Assert.Contains("score 'complexity' of the maf model cannot be written as an ONNX graph (it subtracts the length of the image compressed with deflate (PNG)", flow.Err, StringComparison.Ordinal);
        Assert.Contains("exportable scores: nll, likelihood-ratio, typicality.", flow.Err, StringComparison.Ordinal);
        var typo = Run("export", "--model-file", model, "--format", "onnx", "--score", "recn", "--out", Path.Combine(dir.Path, "ae.onnx"));
        Assert.Equal(2, typo.Code);
        Assert.Contains("has no score 'recn' (did you mean 'recon'?)", typo.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnwritableOutIsAClearErrorAndAnExistingFileIsKept()
    {
        using var dir = new TempFolder();
        string model = ModelFilePath("gaussian", dir.Path);
        var folder = Run("export", "--model-file", model, "--format", "onnx", "--out", dir.Path);
        Assert.Equal(2, folder.Code);
        Assert.Contains("is a folder; name a file", folder.Err, StringComparison.Ordinal);
        var missing = Run("export", "--model-file", model, "--format", "onnx", "--out", Path.Combine(dir.Path, "no", "g.onnx"));
        Assert.Equal(2, missing.Code);
        Assert.Contains("does not exist; create it first", missing.Err, StringComparison.Ordinal);

        string fifo = Path.Combine(dir.Path, "pipe.onnx");
        using (var p = Process.Start("mkfifo", [fifo])) p.WaitForExit();
        var device = Run("export", "--model-file", model, "--format", "onnx", "--out", fifo);
        Assert.Equal(1, device.Code);
        Assert.Contains("FIFO", device.Err, StringComparison.OrdinalIgnoreCase);

        string existing = Path.Combine(dir.Path, "kept.onnx");
        File.WriteAllText(existing, "an earlier export");
        var bad = Run("export", "--model-file", model, "--format", "onnx", "--score", "recon", "--out", existing);
        Assert.Equal(2, bad.Code);
        Assert.Equal("an earlier export", File.ReadAllText(existing));
        Assert.Empty(Directory.GetFiles(dir.Path, "kept.onnx.tmp-*"));
    }
}

internal sealed class TempFolder : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "latent-onnx-cli-" + Guid.NewGuid().ToString("N"));

    public TempFolder() => Directory.CreateDirectory(Path);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { }
    }
}

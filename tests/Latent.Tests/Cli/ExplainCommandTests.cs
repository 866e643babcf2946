// `latent explain` end to end on the committed MNIST subset: terms that add up to the score, the calibration's
// p-value, neighbours from --reference, one PNG per image with --out; a batch prints a table; the report of
// `classmodel --report` gets the explanation cards; and every bad input is a one-line error (exit 2 usage, 1 data).
using System.Text.Json;
using Latent.Models;
using Latent.Data.Png;

namespace Latent.Tests.Cli;

public class ExplainCommandTests
{
    private static CliResult Train(string path, string model, params string[] extra) =>
        CliRunner.Run(["train", "--model", model, "--dataset", TestData.SubsetDir, "--class", "3", "--out", path, .. extra]);

    [Fact]
    public void ExplainsAnImageWithPValueNeighboursAndAPicture()
    {
        using var dir = new TempDir();
        string path = dir.File("pca.safetensors");
        Assert.Equal(0, Train(path, "pca", "--latent", "4", "--calibration", "0.5").ExitCode);
        string pictures = dir.File("pictures");
        var r = CliRunner.Run("explain", "--model-file", path, "--input", TestData.SubsetDir + ":5", "--index", "2,0", "--reference", TestData.SubsetDir + ":3",
            "--neighbours", "3", "--alpha", "0.25", "--out", pictures, "--json");
        Assert.True(r.ExitCode == 0, r.Err);
        using var doc = JsonDocument.Parse(r.Out);
        var cal = ModelFile.Load(path).Calibration!;
        Assert.Equal("ppca", doc.RootElement.GetProperty("score").GetString());
        var samples = doc.RootElement.GetProperty("samples").EnumerateArray().ToList();
        Assert.Equal(2, samples.Count);
        Assert.EndsWith("[2]", samples[0].GetProperty("name").GetString(), StringComparison.Ordinal);
        foreach (var s in samples)
        {
            double v = s.GetProperty("value").GetDouble();
            Assert.Equal(v, s.GetProperty("terms").EnumerateArray().Sum(t => t.GetProperty("value").GetDouble()), 6);
            Assert.Equal(cal["ppca"].PValue(v), s.GetProperty("pValue").GetDouble(), 12);
            Assert.Equal(cal["ppca"].PValue(v) <= 0.25 ? "novel" : "normal", s.GetProperty("decision").GetString());
            Assert.Equal(3, s.GetProperty("neighbours").GetArrayLength());
            Assert.StartsWith(s.GetProperty("decision").GetString()! + ", p = ", s.GetProperty("summary").GetString(), StringComparison.Ordinal);
            var png = PngDecoder.Load(s.GetProperty("picture").GetString()!);
            Assert.Equal(3 + 3, (png.Width - 4) / (28 * 4 + 4));   // input, recon, residual, 3 neighbours
        }

        var text = CliRunner.Run("explain", "--model-file", path, "--input", TestData.SubsetDir + ":5", "--index", "1");
        Assert.True(text.ExitCode == 0, text.Err);
        Assert.Contains("terms: latent-nll", text.Out, StringComparison.Ordinal);
        Assert.Contains("residual |x - x^|: total", text.Out, StringComparison.Ordinal);
        Assert.Contains("summary: ", text.Out, StringComparison.Ordinal);

        var batch = CliRunner.Run("explain", "--model-file", path, "--input", TestData.SubsetDir + ":5");
        Assert.True(batch.ExitCode == 0, batch.Err);
        Assert.Contains("summary", batch.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void ExplainsASinglePngFile()
    {
        using var dir = new TempDir();
        string path = dir.File("pca.safetensors");
        Assert.Equal(0, Train(path, "pca", "--latent", "4").ExitCode);
        string png = dir.File("three.png");
        PngEncoder.Save(png, PngImage.FromGrayFloats(TestData.SubsetTest.OfClass(3).Image(0), 28, 28));
        var r = CliRunner.Run("explain", "--model-file", path, "--input", png, "--json");
        Assert.True(r.ExitCode == 0, r.Err);
        using var doc = JsonDocument.Parse(r.Out);
        var s = doc.RootElement.GetProperty("samples")[0];
        Assert.Equal("three.png", s.GetProperty("name").GetString());
        Assert.False(s.TryGetProperty("pValue", out _));
        Assert.Contains("no p-value", s.GetProperty("summary").GetString(), StringComparison.Ordinal);

        string small = dir.File("small.png");
        PngEncoder.Save(small, PngImage.FromGrayFloats(new float[400], 20, 20));
        var bad = CliRunner.Run("explain", "--model-file", path, "--input", small);
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("is 20x20; the model takes 28x28 images", bad.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void BadRequestsAreOneLineErrors()
    {
        using var dir = new TempDir();
        string pca = dir.File("pca.safetensors"), knn = dir.File("knn.safetensors");
        Assert.Equal(0, Train(pca, "pca", "--latent", "4").ExitCode);
        Assert.Equal(0, Train(knn, "knn").ExitCode);
        string input = TestData.SubsetDir + ":5";

        var noCal = CliRunner.Run("explain", "--model-file", pca, "--input", input, "--alpha", "0.1");
        Assert.Equal(2, noCal.ExitCode);
        Assert.Contains("no calibration scores", noCal.Err, StringComparison.Ordinal);
        Assert.Contains("--calibration 0.2", noCal.Err, StringComparison.Ordinal);

        var noMap = CliRunner.Run("explain", "--model-file", knn, "--input", input, "--out", dir.File("maps"));
        Assert.Equal(2, noMap.ExitCode);
        Assert.Contains("cannot reconstruct an image, so it has no residual map", noMap.Err, StringComparison.Ordinal);
        Assert.Equal(0, CliRunner.Run("explain", "--model-file", knn, "--input", input, "--index", "0").ExitCode);

        foreach (var (args, expected) in new (string[], string)[]
        {
            (["--index", "99"], "--index 99: --input has"),
            (["--index", "x"], "'x' is not an image index"),
            (["--neighbours", "0"], "--neighbours 0"),
            (["--score", "elbo"], "has no score 'elbo'"),
            (["--reference", "nowhere"], "--reference nowhere: not a file, a folder, or dataset:class"),
        })
        {
            var r = CliRunner.Run(["explain", "--model-file", pca, "--input", input, .. args]);
            Assert.True(r.ExitCode == 2, $"{string.Join(" ", args)}: exit {r.ExitCode} {r.Err}");
            Assert.Contains(expected, r.Err, StringComparison.Ordinal);
            Assert.Equal("", r.Out);
        }
        var missing = CliRunner.Run("explain", "--model-file", dir.File("none.safetensors"), "--input", input);
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("does not exist", missing.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void TheClassModelReportHasExplanationCards()
    {
        using var dir = new TempDir();
        string report = dir.File("report");
        var r = CliRunner.Run("classmodel", "--dataset", TestData.SubsetDir, "--model", "pca", "--latent", "4", "--alpha", "0.2", "--report", report);
        Assert.True(r.ExitCode == 0, r.Err);
        string html = File.ReadAllText(Path.Combine(report, "index.html"));
        Assert.Contains("Explanations and training alarms", html, StringComparison.Ordinal);
        foreach (string role in new[] { "Most novel", "Most typical", "Most borderline" }) Assert.Contains(role, html, StringComparison.Ordinal);
        Assert.Equal(3, Directory.GetFiles(Path.Combine(report, "images"), "card-*.png").Length);
    }

    [Fact]
    public void EarlyStopAndHeldOutApplyToTheAutoencodersOnly()
    {
        using var dir = new TempDir();
        var gan = Train(dir.File("g.safetensors"), "gan", "--early-stop");
        Assert.Equal(2, gan.ExitCode);
        Assert.Contains("--early-stop applies to the autoencoders", gan.Err, StringComparison.Ordinal);
        var pca = Train(dir.File("p.safetensors"), "pca", "--held-out", "0.1");
        Assert.Equal(2, pca.ExitCode);
        var bad = Train(dir.File("v.safetensors"), "vae", "--held-out", "0.9");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("--held-out 0.9", bad.Err, StringComparison.Ordinal);

        var ok = Train(dir.File("ae.safetensors"), "ae", "--latent", "4", "--epochs", "2", "--batch-size", "10", "--early-stop", "--json");
        Assert.True(ok.ExitCode == 0, ok.Err);
        using var doc = JsonDocument.Parse(ok.Out);
        Assert.All(doc.RootElement.GetProperty("epochs").EnumerateArray(), e => Assert.True(e.GetProperty("heldOut").GetDouble() > 0));
    }
}

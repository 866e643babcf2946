// The conformal options through the CLI: train --calibration saves the calibration scores, score gives the p-value
// (1 + #{calibration >= s}) / (n + 1) and the decision from them, classmodel --alpha reports the false-alarm and
// detection rates at the conformal threshold; a model without calibration asked for p-values, bad levels and a
// calibration too small for alpha are one-line errors.
using System.Text.Json;
using Latent.Models;

namespace Latent.Tests.Cli;

public class ConformalCommandTests
{
    private static CliResult Train(string path, params string[] extra) =>
        CliRunner.Run(["train", "--model", "pca", "--latent", "4", "--dataset", TestData.SubsetDir, "--class", "3", "--out", path, .. extra]);

    [Fact]
    public void TrainSavesCalibrationAndScoreGivesPValuesAndDecisions()
    {
        using var dir = new TempDir();
        string path = dir.File("pca.safetensors");
        var t = Train(path, "--calibration", "0.5");
        Assert.True(t.ExitCode == 0, t.Err);
        var cal = ModelFile.Load(path).Calibration;
        Assert.NotNull(cal);
        int n = cal["recon"].Count;
        Assert.Equal((int)Math.Round(0.5 * TestData.SubsetTrain.OfClass(3).Count), n);

        var r = CliRunner.Run("score", "--model-file", path, "--input", TestData.SubsetDir + ":5", "--alpha", "0.25", "--json");
        Assert.True(r.ExitCode == 0, r.Err);
        using var doc = JsonDocument.Parse(r.Out);
        double t25 = cal["recon"].Threshold(0.25);
        foreach (var row in doc.RootElement.GetProperty("samples").EnumerateArray())
        {
            double s = row.GetProperty("recon").GetDouble();
            double expected = (1.0 + cal["recon"].Sorted.Count(c => c >= s)) / (n + 1);
            Assert.Equal(expected, row.GetProperty("pValues").GetProperty("recon").GetDouble(), 12);
            Assert.Equal(s > t25 ? "novel" : "normal", row.GetProperty("decisions").GetProperty("recon").GetString());
        }

        var text = CliRunner.Run("score", "--model-file", path, "--input", TestData.SubsetDir + ":5", "--fdr", "0.2");
        Assert.True(text.ExitCode == 0, text.Err);
        Assert.Contains("Benjamini-Hochberg", text.Out, StringComparison.Ordinal);
        Assert.Contains("p recon", text.Out, StringComparison.Ordinal);

        var tooSmall = CliRunner.Run("score", "--model-file", path, "--input", TestData.SubsetDir + ":5", "--alpha", "0.001");
        Assert.Equal(2, tooSmall.ExitCode);
        Assert.Contains("1/(n+1)", tooSmall.Err, StringComparison.Ordinal);
        var badDelta = CliRunner.Run("score", "--model-file", path, "--input", TestData.SubsetDir + ":5", "--alpha", "0.2", "--delta", "1.5");
        Assert.Equal(2, badDelta.ExitCode);
        Assert.Contains("--delta 1.5 is not a probability strictly between 0 and 1", badDelta.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void ScoreAskedForPValuesOfAModelWithoutCalibrationSaysHowToAddThem()
    {
        using var dir = new TempDir();
        string path = dir.File("plain.safetensors");
        Assert.Equal(0, Train(path).ExitCode);
        Assert.Null(ModelFile.Load(path).Calibration);
        var plain = CliRunner.Run("score", "--model-file", path, "--input", TestData.SubsetDir + ":5");
        Assert.True(plain.ExitCode == 0, plain.Err);
        Assert.DoesNotContain("p recon", plain.Out, StringComparison.Ordinal);
        var r = CliRunner.Run("score", "--model-file", path, "--input", TestData.SubsetDir + ":5", "--alpha", "0.1");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("has no calibration scores", r.Err, StringComparison.Ordinal);
        Assert.Contains("--calibration 0.2", r.Err, StringComparison.Ordinal);
        var bad = Train(dir.File("bad.safetensors"), "--calibration", "1.2");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("--calibration 1.2 is not a fraction", bad.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void ClassModelReportsRatesAtTheConformalThresholdBesideTheOracleError()
    {
        var r = CliRunner.Run("classmodel", "--model", "pca", "--latent", "4", "--score", "recon", "--dataset", TestData.SubsetDir,
            "--real", "3", "--fake", "5", "--calibration", "0.5", "--alpha", "0.2", "--delta", "0.3", "--json");
        Assert.True(r.ExitCode == 0, r.Err);
        using var doc = JsonDocument.Parse(r.Out);
        Assert.Equal("oracle", doc.RootElement.GetProperty("thresholdKind").GetString());
        var c = Assert.Single(doc.RootElement.GetProperty("results").EnumerateArray()).GetProperty("conformal");
        double far = c.GetProperty("falseAlarmRate").GetDouble(), det = c.GetProperty("detectionRate").GetDouble();
        Assert.InRange(far, 0, 1);
        Assert.InRange(det, 0, 1);
        Assert.True(c.GetProperty("conditionalThreshold").GetDouble() >= c.GetProperty("threshold").GetDouble());
        Assert.True(c.GetProperty("conditionalFalseAlarmRate").GetDouble() <= far);

        var text = CliRunner.Run("classmodel", "--model", "pca", "--latent", "4", "--score", "recon", "--dataset", TestData.SubsetDir,
            "--real", "3", "--fake", "5", "--calibration", "0.5", "--alpha", "0.2");
        Assert.True(text.ExitCode == 0, text.Err);
        Assert.Contains("oracle bal.err %", text.Out, StringComparison.Ordinal);
        Assert.Contains("FAR %", text.Out, StringComparison.Ordinal);

        var tooSmall = CliRunner.Run("classmodel", "--model", "pca", "--latent", "4", "--dataset", TestData.SubsetDir,
            "--real", "3", "--fake", "5", "--calibration", "0.5", "--alpha", "0.001");
        Assert.Equal(2, tooSmall.ExitCode);
        Assert.Contains("1/(n+1)", tooSmall.Err, StringComparison.Ordinal);
        var badAlpha = CliRunner.Run("classmodel", "--model", "pca", "--dataset", TestData.SubsetDir, "--alpha", "0");
        Assert.Equal(2, badAlpha.ExitCode);
        Assert.Contains("--alpha 0 is not a probability", badAlpha.Err, StringComparison.Ordinal);
        var noAlpha = CliRunner.Run("classmodel", "--model", "pca", "--dataset", TestData.SubsetDir, "--delta", "0.1");
        Assert.Equal(2, noAlpha.ExitCode);
        Assert.Contains("--delta needs --alpha", noAlpha.Err, StringComparison.Ordinal);
    }
}

// `latent explore` end to end on the committed MNIST subset with models trained on all ten classes (train --class all):
// PCA for the subcommands that need an encoder (fitted in a moment), the diagonal Gaussian for samples, a logreg judge
// trained for one epoch; each subcommand writes its PNG/SVG files, report.html and one JSON document. The bad inputs
// of issue 15 are one-line errors with the right exit code.
using System.Text.Json;
using Latent.Data;

namespace Latent.Tests.Cli;

public class ExploreCommandTests
{
    private static string Fit(TempDir dir, string model, string latent)
    {
        string path = dir.File($"{model}{latent}.safetensors");
        string[] lat = latent.Length > 0 ? ["--latent", latent] : [];
        var r = CliRunner.Run(["train", "--model", model, "--dataset", TestData.SubsetDir, "--class", "all", .. lat, "--out", path]);
        Assert.True(r.ExitCode == 0, r.Err);
        Assert.Contains("all classes", r.Err, StringComparison.Ordinal);
        return path;
    }

    private static string Judge(TempDir dir)
    {
        string path = dir.File("judge.safetensors");
        var r = CliRunner.Run("explore", "judge", "train", "--dataset", TestData.SubsetDir, "--epochs", "2", "--out", path, "--json");
        Assert.True(r.ExitCode == 0, r.Err);
        var doc = JsonDocument.Parse(r.Out).RootElement;
        Assert.InRange(doc.GetProperty("testAccuracy").GetDouble(), 0.3, 1);
        return path;
    }

    private static JsonElement Json(CliResult r)
    {
        Assert.True(r.ExitCode == 0, r.Err);
        return JsonDocument.Parse(r.Out).RootElement;
    }

    [Fact]
    public void TrainOnAllClassesUsesEveryTrainingImage()
    {
        using var dir = new TempDir();
        string path = Fit(dir, "pca", "8");
        var r = CliRunner.Run("train", "--model", "pca", "--dataset", TestData.SubsetDir, "--class", "al", "--out", dir.File("x.safetensors"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("unknown class 'al'", r.Err, StringComparison.Ordinal);
        Assert.True(File.Exists(path));
    }

    [Fact]
    public void PairsMoveAndDenoiseWriteTheirFilesAndReports()
    {
        using var dir = new TempDir();
        string pca = Fit(dir, "pca", "8");
        string judge = Judge(dir);

        var pairs = Json(CliRunner.Run("explore", "pairs", "--model-file", pca, "--dataset", TestData.SubsetDir, "--judge", judge,
            "--out", dir.File("pairs"), "--moved", "2", "--json"));
        Assert.Equal(45, pairs.GetProperty("pairs").GetInt32());
        Assert.Equal(45, pairs.GetProperty("switchAlpha").GetArrayLength());
        Assert.InRange(pairs.GetProperty("centroidEndpointsJudgedTarget").GetDouble(), 0, 1);
        Assert.InRange(pairs.GetProperty("movedEndpointsJudgedTarget").GetDouble(), 0, 1);
        foreach (string f in new[] { "pairs.png", "pairs-judge.svg", "report.html" }) Assert.True(File.Exists(Path.Combine(dir.File("pairs"), f)), f);

        var move = Json(CliRunner.Run("explore", "move", "--model-file", pca, "--dataset", TestData.SubsetDir, "--judge", judge,
            "--out", dir.File("move"), "--from", "6", "--to", "0", "--image-class", "7", "--alpha", "-2:2:5", "--json"));
        Assert.Equal(5, move.GetProperty("alphas").GetArrayLength());
        Assert.True(File.Exists(Path.Combine(dir.File("move"), "move-judge.svg")));

        var den = Json(CliRunner.Run("explore", "denoise", "--model-file", pca, "--dataset", TestData.SubsetDir, "--out", dir.File("den"),
            "--levels", "0.2,0.5", "--count", "50", "--json"));
        var levels = den.GetProperty("levels");
        Assert.Equal(2, levels.GetArrayLength());
        // PCA with 8 components removes much of strong Gaussian noise.
        Assert.True(levels[1].GetProperty("models").GetProperty("1-pca").GetProperty("gain").GetDouble() > 0);
        Assert.True(File.Exists(Path.Combine(dir.File("den"), "denoise-0.5.png")));
    }

    [Fact]
    public void MapNeedsATwoDimensionalLatentAndSaysHowToTrainOne()
    {
        using var dir = new TempDir();
        string pca8 = Fit(dir, "pca", "8");
        var bad = CliRunner.Run("explore", "map", "--model-file", pca8, "--dataset", TestData.SubsetDir, "--out", dir.File("map"));
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("a map needs 2-D", bad.Err, StringComparison.Ordinal);
        Assert.Contains("latent train --model pca --class all --latent 2", bad.Err, StringComparison.Ordinal);
        string ae4 = dir.File("ae4.safetensors");
        Assert.Equal(0, CliRunner.Run("train", "--model", "ae", "--dataset", TestData.SubsetDir, "--class", "all", "--latent", "4", "--arch", "dense",
            "--dense-widths", "8", "--epochs", "1", "--out", ae4).ExitCode);
        var badAe = CliRunner.Run("explore", "map", "--model-file", ae4, "--dataset", TestData.SubsetDir, "--out", dir.File("map"));
        Assert.Equal(2, badAe.ExitCode);
        Assert.Contains("--latent 2 --arch dense --dense-widths 512", badAe.Err, StringComparison.Ordinal);

        string pca2 = Fit(dir, "pca", "2");
        var map = Json(CliRunner.Run("explore", "map", "--model-file", pca2, "--model-file", pca2, "--dataset", TestData.SubsetDir,
            "--out", dir.File("map"), "--side", "5", "--json"));
        Assert.Equal(2, map.GetProperty("models").GetArrayLength());
        Assert.True(File.Exists(Path.Combine(dir.File("map"), "1-pca-codes.svg")));
        Assert.True(File.Exists(Path.Combine(dir.File("map"), "2-pca-manifold.png")));
    }

    [Fact]
    public void SamplesOfTheDiagonalGaussianAreJudged()
    {
        using var dir = new TempDir();
        string g = Fit(dir, "gaussian", "");
        string judge = Judge(dir);
        var s = Json(CliRunner.Run("explore", "samples", "--model-file", g, "--dataset", TestData.SubsetDir, "--judge", judge,
            "--count", "100", "--out", dir.File("s"), "--json"));
        var shares = s.GetProperty("models")[0].GetProperty("classShares").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Assert.Equal(10, shares.Length);
        Assert.Equal(1, shares.Sum(), 1e-9);
        var fid = CliRunner.Run("explore", "samples", "--model-file", g, "--dataset", TestData.SubsetDir, "--fid-judge", judge, "--out", dir.File("s"));
        Assert.Equal(2, fid.ExitCode);
        Assert.Contains("needs the hidden features of a cnn judge", fid.Err, StringComparison.Ordinal);
        var pca = CliRunner.Run("explore", "samples", "--model-file", Fit(dir, "pca", "4"), "--dataset", TestData.SubsetDir, "--out", dir.File("s"));
        Assert.Equal(2, pca.ExitCode);
        Assert.Contains("cannot generate", pca.Err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--alpha", "1:0:5", "is empty")]
    [InlineData("--alpha", "0:NaN:5", "not finite")]
    [InlineData("--alpha", "0:1:0", "steps")]
    [InlineData("--classes", "3,12", "unknown class '12'")]
    [InlineData("--classes", "3", "at least two classes")]
    public void BadPairsArgumentsAreUsageErrors(string option, string value, string expected)
    {
        using var dir = new TempDir();
        string pca = Fit(dir, "pca", "4");
        var r = CliRunner.Run("explore", "pairs", "--model-file", pca, "--dataset", TestData.SubsetDir, "--out", dir.File("p"), option, value);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(expected, r.Err, StringComparison.Ordinal);
        Assert.Equal("", r.Out);
    }

    [Fact]
    public void DenseWidthsGiveTheMapsOneHiddenLayerAutoencoder()
    {
        // Seed 003's 784-512-2-512-784, narrowed to 784-16-2-16-784 for the test.
        using var dir = new TempDir();
        string ae = dir.File("ae2.safetensors");
        var t = CliRunner.Run("train", "--model", "ae", "--dataset", TestData.SubsetDir, "--class", "all", "--latent", "2", "--arch", "dense",
            "--dense-widths", "16", "--epochs", "1", "--out", ae);
        Assert.True(t.ExitCode == 0, t.Err);
        var file = Latent.Nn.Checkpoints.Checkpoint.Read(ae);
        Assert.Equal([16, 784], file.Tensors["enc.net.1.weight"].ShapeArray());
        Assert.Equal([2, 16], file.Tensors["enc.net.3.weight"].ShapeArray());
        Assert.Equal([784, 16], file.Tensors["dec.net.2.weight"].ShapeArray());
        Assert.DoesNotContain("enc.net.5.weight", file.Tensors.Keys);
        var map = Json(CliRunner.Run("explore", "map", "--model-file", ae, "--dataset", TestData.SubsetDir, "--out", dir.File("map"), "--side", "3", "--json"));
        Assert.Equal(1, map.GetProperty("models").GetArrayLength());
    }

    [Theory]
    [InlineData("ae", "conv", "512", "add --arch dense")]
    [InlineData("ae", "dense", "512,0", "--dense-widths 512,0: give the hidden widths")]
    [InlineData("ae", "dense", "wide", "--dense-widths wide: give the hidden widths")]
    [InlineData("pca", null, "512", "--dense-widths applies to the autoencoders")]
    public void BadDenseWidthsAreUsageErrors(string model, string? arch, string widths, string expected)
    {
        using var dir = new TempDir();
        string[] a = arch is null ? [] : ["--arch", arch];
        var r = CliRunner.Run(["train", "--model", model, "--dataset", TestData.SubsetDir, "--class", "all", .. a, "--dense-widths", widths, "--out", dir.File("m.safetensors")]);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(expected, r.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void AHeldOutJudgeRunNeverReadsTheTestSplit()
    {
        using var dir = new TempDir();
        // A dataset folder without test files: a held-out run must not need them.
        string data = Path.Combine(dir.Path, "trainonly");
        TestData.CopySubsetTo(data);
        foreach (string f in Directory.GetFiles(data, "t10k-*")) File.Delete(f);
        var r = Json(CliRunner.Run("explore", "judge", "train", "--kind", "cnn", "--channels", "4,8", "--dataset", data, "--epochs", "1",
            "--held-out", "0.2", "--out", dir.File("j.safetensors"), "--json"));
        Assert.InRange(r.GetProperty("heldOutAccuracy").GetDouble(), 0, 1);
        Assert.Equal(JsonValueKind.Null, r.GetProperty("testAccuracy").ValueKind);
        Assert.True(double.IsNaN(Latent.Models.Exploration.Judges.JudgeFile.Load(dir.File("j.safetensors")).TestAccuracy));

        // Then its test accuracy, measured once and recorded in the file.
        var t = Json(CliRunner.Run("explore", "judge", "test", "--judge", dir.File("j.safetensors"), "--dataset", TestData.SubsetDir, "--record", "--json"));
        double acc = t.GetProperty("testAccuracy").GetDouble();
        Assert.InRange(acc, 0, 1);
        Assert.Equal(acc, Latent.Models.Exploration.Judges.JudgeFile.Load(dir.File("j.safetensors")).TestAccuracy);

        var missing = CliRunner.Run("explore", "judge", "test", "--judge", dir.File("none.safetensors"), "--dataset", TestData.SubsetDir);
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("does not exist", missing.Err, StringComparison.Ordinal);
        string model = Fit(dir, "gaussian", "");
        var notJudge = CliRunner.Run("explore", "judge", "test", "--judge", model, "--dataset", TestData.SubsetDir);
        Assert.Equal(1, notJudge.ExitCode);
        Assert.Contains("is not a judge", notJudge.Err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("cnn", "--channels", "32", "give the two convolution blocks' channels")]
    [InlineData("cnn", "--channels", "0,64", "give the two convolution blocks' channels")]
    [InlineData("logreg", "--channels", "32,64", "--channels is for --kind cnn")]
    [InlineData("logreg", "--dropout", "0.5", "dropout is for the cnn judge")]
    [InlineData("cnn", "--dropout", "1", "judge dropout 1")]
    [InlineData("cnn", "--held-out", "0.9", "judge held-out fraction 0.9")]
    [InlineData("cnn", "--augment", "shift=x", "--augment shift=x")]
    public void BadJudgeSettingsAreUsageErrors(string kind, string option, string value, string expected)
    {
        using var dir = new TempDir();
        var r = CliRunner.Run("explore", "judge", "train", "--kind", kind, "--dataset", TestData.SubsetDir, "--out", dir.File("j.safetensors"), option, value);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(expected, r.Err, StringComparison.Ordinal);
        Assert.False(File.Exists(dir.File("j.safetensors")));
    }

    [Fact]
    public void ClassesMissingFromTheDataAreADataError()
    {
        using var dir = new TempDir();
        string pca = Fit(dir, "pca", "4");
        // A dataset folder whose training split holds only digits 0 and 1.
        string data = Path.Combine(dir.Path, "two");
        TestData.CopySubsetTo(data);
        var train = TestData.SubsetTrain.OfClasses([0, 1]);
        Idx.Write(Path.Combine(data, "train-images-idx3-ubyte"), [train.Count, 28, 28], train.Pixels.Select(v => (byte)Math.Round(v * 255)).ToArray());
        Idx.Write(Path.Combine(data, "train-labels-idx1-ubyte"), [train.Count], train.Labels);
        var r = CliRunner.Run("explore", "pairs", "--model-file", pca, "--dataset", data, "--out", dir.File("p"), "--classes", "0,1,5");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("class 5 has no images", r.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void AModelWithoutAnEncoderOrLatentSpaceIsRefusedWithTheModelsThatCan()
    {
        using var dir = new TempDir();
        string knn = Fit(dir, "knn", "");
        var r = CliRunner.Run("explore", "pairs", "--model-file", knn, "--dataset", TestData.SubsetDir, "--out", dir.File("p"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("no latent space", r.Err, StringComparison.Ordinal);
        Assert.Contains("vae", r.Err, StringComparison.Ordinal);

        string gan = dir.File("gan.safetensors");
        var t = CliRunner.Run("train", "--model", "gan", "--dataset", TestData.SubsetDir, "--class", "all", "--latent", "4", "--epochs", "1", "--batch-size", "50",
            "--g-channels", "8,4", "--d-channels", "4,8", "--search-steps", "2", "--statistics-samples", "8", "--out", gan);
        Assert.True(t.ExitCode == 0, t.Err);
        var m = CliRunner.Run("explore", "move", "--model-file", gan, "--dataset", TestData.SubsetDir, "--out", dir.File("m"));
        Assert.Equal(2, m.ExitCode);
        Assert.Contains("cannot encode real images", m.Err, StringComparison.Ordinal);
        Assert.Contains("latent search", m.Err, StringComparison.Ordinal);
    }
}

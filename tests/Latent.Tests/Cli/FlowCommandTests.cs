// The flows through the command line: train a tiny made on the subset's 3s (and on every class with --class all),
// score it (the four density scores in bits/dim), sample a grid; the flow options are errors for other kinds, and
// --latent and --augment are errors for a flow.
using System.Text.Json;

namespace Latent.Tests.Cli;

public class FlowCommandTests
{
    [Fact]
    public void TrainScoreAndSampleAMadeModel()
    {
        using var dir = new TempDir();
        string path = dir.File("made.safetensors");
        var r = CliRunner.Run("train", "--model", "made", "--dataset", TestData.SubsetDir, "--class", "all", "--flow-width", "16", "--epochs", "1", "--out", path);
        Assert.True(r.ExitCode == 0, r.Err);
        Assert.Contains("all classes", r.Err + r.Out, StringComparison.Ordinal);
        var s = CliRunner.Run("score", "--model-file", path, "--input", TestData.SubsetDir + ":5", "--json");
        Assert.True(s.ExitCode == 0, s.Err);
        using var doc = JsonDocument.Parse(s.Out);
        Assert.Equal(["nll", "likelihood-ratio", "typicality", "complexity"], doc.RootElement.GetProperty("scores").EnumerateArray().Select(e => e.GetProperty("name").GetString()));
        double nll = doc.RootElement.GetProperty("samples")[0].GetProperty("nll").GetDouble();
        Assert.InRange(nll, 0.1, 100);                                         // bits per dimension: finite, positive (1 epoch of a tiny MADE)
        var g = CliRunner.Run("sample", "--model-file", path, "--count", "4", "--out", dir.File("s.png"));
        Assert.True(g.ExitCode == 0, g.Err);
        Assert.True(File.Exists(dir.File("s.png")));
    }

    [Fact]
    public void ABackgroundL2WithoutABackgroundModelIsAUsageError()
    {
        using var dir = new TempDir();
        var r = CliRunner.Run("train", "--model", "pixelcnn", "--dataset", TestData.SubsetDir, "--mutation-rate", "0", "--background-l2", "1e-4", "--out", dir.File("x.safetensors"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("mutation rate 0 leaves out", r.Err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("made", "--flow-width", "16")]
    [InlineData("realnvp", "--flow-width", "16")]
    [InlineData("pixelcnn", "--pixelcnn-hidden", "2")]
    public void ExactDensitiesTrainAndScoreOnAResizedFolder(string model, string option, string value)
    {
        // --image-size resizes by area averaging; 8-bit images stay 8-bit (rounded levels), which the densities need
        using var dir = new TempDir();
        string folder = UserImageFolders.Write(dir.File("threes"), TestData.SubsetTrain, 3);
        string path = dir.File("m.safetensors");
        var r = CliRunner.Run("train", "--model", model, "--dataset", folder, "--image-size", "20", option, value, "--epochs", "1", "--batch-size", "16", "--out", path);
        Assert.True(r.ExitCode == 0, r.Err);
        var s = CliRunner.Run("score", "--model-file", path, "--input", folder, "--resize", "--json");
        Assert.True(s.ExitCode == 0, s.Err);
        using var doc = JsonDocument.Parse(s.Out);
        double nll = doc.RootElement.GetProperty("samples")[0].GetProperty("nll").GetDouble();
        Assert.InRange(nll, 0.01, 100);
    }

    [Theory]
    [InlineData("vae", "--mutation-rate", "0.1", "applies to the flows and pixelcnn")]
    [InlineData("made", "--flow-steps", "3", "applies to maf")]
    [InlineData("maf", "--flow-steps", "1", "2 to 64")]
    [InlineData("realnvp", "--flow-alpha", "0.5", "alpha in (0, 0.5)")]
    [InlineData("maf", "--flow-alpha", "NaN", "alpha in (0, 0.5)")]
    [InlineData("vae", "--flow-alpha", "0.05", "applies to the flows")]
    [InlineData("made", "--mutation-rate", "1.5", "probability in [0, 1]")]
    [InlineData("made", "--latent", "3", "has no latent size")]
    [InlineData("maf", "--augment", "shift=2", "augmentation")]
    [InlineData("vae", "--background-l2", "0.1", "applies to the flows and pixelcnn")]
    [InlineData("made", "--background-l2", "2", "give a penalty in [0, 1]")]
    [InlineData("pixelcnn", "--background-l2", "-1", "give a penalty in [0, 1]")]
    public void FlowOptionsAreCheckedAndNamed(string model, string option, string value, string message)
    {
        using var dir = new TempDir();
        var r = CliRunner.Run("train", "--model", model, "--dataset", TestData.SubsetDir, option, value, "--out", dir.File("x.safetensors"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(message, r.Err, StringComparison.Ordinal);
    }
}

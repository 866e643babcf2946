// `latent train|sample|classmodel --model pixelcnn` end to end on the committed MNIST subset with a tiny network: the
// checkpoint and the sample grid are written (no reconstruction grid: PixelCNN has no codes), a saved model samples,
// the class-model protocol reports its nll score (with an HTML report), `score` gives the four density scores
// (--mutation-rate 0: no likelihood-ratio), a checkpoint from before the scores loads with nll and complexity and gets
// typicality when resumed, and the family's options are errors elsewhere.
using System.Text.Json;
using Latent.Data.Png;

namespace Latent.Tests.Cli;

public class PixelCnnCommandTests
{
    private static readonly string[] Tiny = ["--pixelcnn-hidden", "4", "--pixelcnn-blocks", "1", "--pixelcnn-output", "4", "--epochs", "1", "--batch-size", "16"];

    [Fact]
    public void TrainWritesTheCheckpointAndASampleGridAndTheModelSamples()
    {
        using var dir = new TempDir();
        string path = dir.File("pc.safetensors");
        var r = CliRunner.Run(["train", "--model", "pixelcnn", "--dataset", TestData.SubsetDir, "--class", "3", "--out", path, "--json", .. Tiny]);
        Assert.True(r.ExitCode == 0, r.Err);
        using (var doc = JsonDocument.Parse(r.Out))
        {
            Assert.Equal("pixelcnn", doc.RootElement.GetProperty("model").GetString());
            Assert.False(doc.RootElement.TryGetProperty("latent", out _));
            Assert.False(doc.RootElement.TryGetProperty("reconstructions", out _));
            double bpd = doc.RootElement.GetProperty("epochs")[0].GetProperty("terms").GetProperty("bpd").GetDouble();
            Assert.InRange(bpd, 0.1, 8.5);
        }
        Assert.False(File.Exists(dir.File("pc.recon.png")));
        var samples = PngDecoder.Load(dir.File("pc.samples.png"));
        Assert.True(samples.Width >= 8 * 28 && samples.Height >= 8 * 28);

        var s = CliRunner.Run("sample", "--model-file", path, "--count", "4", "--out", dir.File("grid.png"));
        Assert.True(s.ExitCode == 0, s.Err);
        Assert.True(File.Exists(dir.File("grid.png")));

        var latent = CliRunner.Run(["train", "--model", "pixelcnn", "--dataset", TestData.SubsetDir, "--latent", "4", "--out", dir.File("x.safetensors"), .. Tiny]);
        Assert.Equal(2, latent.ExitCode);
        Assert.Contains("has no latent size", latent.Err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0.3", new[] { "nll", "likelihood-ratio", "typicality", "complexity" })]
    [InlineData("0", new[] { "nll", "typicality", "complexity" })]
    public void ScoreGivesTheDensityScoresOfTheMutationRate(string rate, string[] expected)
    {
        using var dir = new TempDir();
        string path = dir.File("pc.safetensors");
        var r = CliRunner.Run(["train", "--model", "pixelcnn", "--dataset", TestData.SubsetDir, "--class", "3", "--mutation-rate", rate, "--out", path, "--json", .. Tiny]);
        Assert.True(r.ExitCode == 0, r.Err);
        using (var doc = JsonDocument.Parse(r.Out))
            Assert.Equal(rate != "0", doc.RootElement.GetProperty("epochs")[0].GetProperty("terms").TryGetProperty("background-bpd", out _));
        var s = CliRunner.Run("score", "--model-file", path, "--input", TestData.SubsetDir + ":5", "--json");
        Assert.True(s.ExitCode == 0, s.Err);
        using var scores = JsonDocument.Parse(s.Out);
        Assert.Equal(expected, scores.RootElement.GetProperty("scores").EnumerateArray().Select(e => e.GetProperty("name").GetString()));
        double typicality = scores.RootElement.GetProperty("samples")[0].GetProperty("typicality").GetDouble();
        Assert.True(double.IsFinite(typicality) && typicality >= 0, $"typicality {typicality}");
    }

    [Fact]
    public void ACheckpointFromBeforeTheScoresLoadsScoresAndResumes()
    {
        using var dir = new TempDir();
        string path = dir.File("old.safetensors");
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Autoregressive", "pixelcnn-before-scores.safetensors"), path);
        string[] Scores()
        {
            var s = CliRunner.Run("score", "--model-file", path, "--input", TestData.SubsetDir + ":5", "--json");
            Assert.True(s.ExitCode == 0, s.Err);
            using var doc = JsonDocument.Parse(s.Out);
            return doc.RootElement.GetProperty("scores").EnumerateArray().Select(e => e.GetProperty("name").GetString()!).ToArray();
        }
        Assert.Equal(["nll", "complexity"], Scores());                          // no background network, mean NaN
        var r = CliRunner.Run("train", "--model", "pixelcnn", "--dataset", TestData.SubsetDir, "--class", "3", "--epochs", "2", "--resume", "--out", path);
        Assert.True(r.ExitCode == 0, r.Err);
        Assert.Equal(["nll", "typicality", "complexity"], Scores());           // the resumed epoch fitted the mean
    }

    [Fact]
    public void AFullyTrainedCheckpointFromBeforeTheMeanGetsItOnResumeWithItsCalibration()
    {
        // the old fixture trained 1 epoch; resuming it for 1 epoch trains nothing but fits the missing mean (it was
        // refused before: "tensor 'mean_training_nll' holds non-finite values"), with the calibration kept and rescored
        using var dir = new TempDir();
        string path = dir.File("old.safetensors");
        var old = Latent.Nn.Checkpoints.Checkpoint.Read(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Autoregressive", "pixelcnn-before-scores.safetensors"));
        var calibration = new Latent.Models.Conformal.ConformalCalibration(0.2, 7, new Dictionary<string, double[]> { ["nll"] = [1.0, 2.0, 3.0] });
        var metadata = new Dictionary<string, string>(old.Metadata) { [Latent.Models.Conformal.ConformalCalibration.MetadataKey] = calibration.ToJson() };
        Latent.Nn.Checkpoints.Checkpoint.Save(path, [.. old.Tensors.Select(kv => new Latent.Nn.NamedTensor(kv.Key, kv.Value))], metadata);
        var r = CliRunner.Run("train", "--model", "pixelcnn", "--dataset", TestData.SubsetDir, "--class", "3", "--resume", "--out", path);
        Assert.True(r.ExitCode == 0, r.Err);
        Assert.Contains("fitting them", r.Err, StringComparison.Ordinal);
        var loaded = Latent.Models.ModelFile.Load(path);
        Assert.Equal(1, loaded.Epoch);
        Assert.Equal(["nll", "typicality", "complexity"], loaded.Model.Scores.Select(s => s.Name));
        Assert.True(double.IsFinite(((Latent.Models.Autoregressive.PixelCnn)loaded.Generative!).MeanTrainingNll));
        Assert.NotNull(loaded.Calibration);
        Assert.Equal(0.2, loaded.Calibration!.Fraction);
        Assert.True(loaded.Calibration.Has("typicality"), "the calibration is rescored with every score, typicality too");
        var again = CliRunner.Run("train", "--model", "pixelcnn", "--dataset", TestData.SubsetDir, "--class", "3", "--resume", "--out", path);
        Assert.True(again.ExitCode == 0, again.Err);
        Assert.DoesNotContain("fitting them", again.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void ClassModelReportsTheNllScoreWithAReport()
    {
        using var dir = new TempDir();
        var r = CliRunner.Run(["classmodel", "--model", "pixelcnn", "--dataset", TestData.SubsetDir, "--real", "3", "--fake", "5", "--report", dir.File("report"), "--json", .. Tiny]);
        Assert.True(r.ExitCode == 0, r.Err);
        Assert.Contains("\"nll\"", r.Out, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(dir.File("report"), "index.html")));
    }

    [Fact]
    public void PixelCnnOptionsAreErrorsForOtherKindsAndBadValuesAreNamed()
    {
        using var dir = new TempDir();
        var other = CliRunner.Run("train", "--model", "vae", "--dataset", TestData.SubsetDir, "--pixelcnn-blocks", "2", "--out", dir.File("v.safetensors"));
        Assert.Equal(2, other.ExitCode);
        Assert.Contains("--pixelcnn-blocks applies to pixelcnn, not to 'vae'", other.Err, StringComparison.Ordinal);
        var odd = CliRunner.Run("train", "--model", "pixelcnn", "--dataset", TestData.SubsetDir, "--pixelcnn-hidden", "5", "--out", dir.File("p.safetensors"));
        Assert.Equal(2, odd.ExitCode);
        Assert.Contains("--pixelcnn-hidden 5: give an even number", odd.Err, StringComparison.Ordinal);
        Assert.False(File.Exists(dir.File("p.safetensors")));
        var rate = CliRunner.Run("train", "--model", "pixelcnn", "--dataset", TestData.SubsetDir, "--mutation-rate", "-0.1", "--out", dir.File("p.safetensors"));
        Assert.Equal(2, rate.ExitCode);
        Assert.Contains("--mutation-rate -0.1: give a probability in [0, 1]", rate.Err, StringComparison.Ordinal);
    }
}

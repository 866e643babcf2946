// `latent train` and `latent score` end to end on the committed MNIST subset (dense networks, one or two epochs):
// the checkpoint and the PNG grids are written, --resume continues, score reads every input form, and every bad
// input is one clear line with the right exit code.
using System.Text.Json;
using Latent.Data;
using Latent.Data.Png;

namespace Latent.Tests.Cli;

public class TrainScoreCommandTests
{
    private static CliResult Train(string outPath, params string[] extra) =>
        CliRunner.Run(["train", "--model", "vae", "--dataset", TestData.SubsetDir, "--class", "3", "--latent", "4", "--arch", "dense",
            "--epochs", "1", "--batch-size", "16", "--out", outPath, .. extra]);

    [Fact]
    public void TrainWritesCheckpointAndGridsAndResumes()
    {
        using var dir = new TempDir();
        string path = dir.File("vae.safetensors");
        var r = Train(path, "--json");
        Assert.True(r.ExitCode == 0, r.Err);
        using (var doc = JsonDocument.Parse(r.Out))
        {
            Assert.Equal("vae", doc.RootElement.GetProperty("model").GetString());
            var epochs = doc.RootElement.GetProperty("epochs");
            Assert.Equal(1, epochs.GetArrayLength());
            Assert.True(epochs[0].GetProperty("terms").GetProperty("kl").GetDouble() >= 0);
        }
        Assert.True(File.Exists(path));
        var recon = PngDecoder.Load(dir.File("vae.recon.png"));
        var samples = PngDecoder.Load(dir.File("vae.samples.png"));
        Assert.True(recon.Width > 16 * 28 && recon.Height > 2 * 28);
        Assert.True(samples.Width >= 8 * 28 && samples.Height >= 8 * 28);

        var again = Train(path);
        Assert.Equal(2, again.ExitCode);
        Assert.Contains("--resume", again.Err, StringComparison.Ordinal);

        var resumed = CliRunner.Run("train", "--model", "vae", "--dataset", TestData.SubsetDir, "--class", "3", "--latent", "4",
            "--epochs", "2", "--out", path, "--resume", "--json");
        Assert.True(resumed.ExitCode == 0, resumed.Err);
        using var doc2 = JsonDocument.Parse(resumed.Out);
        Assert.Equal(2, doc2.RootElement.GetProperty("epochs")[0].GetProperty("epoch").GetInt32());

        var wrongKind = CliRunner.Run("train", "--model", "aae", "--dataset", TestData.SubsetDir, "--latent", "4", "--epochs", "3", "--out", path, "--resume");
        Assert.Equal(2, wrongKind.ExitCode);
        Assert.Contains("holds a 'vae' model, not 'aae'", wrongKind.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnknownWaePenaltyIsAOneLineErrorAndWritesNothing()
    {
        using var dir = new TempDir();
        string path = dir.File("wae.safetensors");
        var r = CliRunner.Run("train", "--model", "wae", "--dataset", TestData.SubsetDir, "--latent", "4", "--epochs", "1", "--penalty", "Sinkhorn", "--out", path);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--penalty: unknown penalty 'Sinkhorn'; use mmd or gan.", r.Err, StringComparison.Ordinal);
        Assert.Single(r.Err.TrimEnd().Split('\n'));
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void TrainAugmentsWhenAskedAndRejectsABadSpecBeforeWritingAnything()
    {
        using var dir = new TempDir();
        string path = dir.File("aug.safetensors");
        var bad = Train(path, "--augment", "rotate=200");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("--augment rotate=200: augmentation rotation 200 must be in [0, 180] degrees", bad.Err, StringComparison.Ordinal);
        Assert.False(File.Exists(path));

        var r = Train(path, "--augment", "affine");
        Assert.True(r.ExitCode == 0, r.Err);
        var (model, _) = Latent.Models.Autoencoders.AutoencoderModel.Load(path);
        Assert.Equal(Latent.Models.Training.Augmentation.Affine, model.Options.Training.Augment);
    }

    [Fact]
    public void ScoreReadsDatasetClassIdxFileAndPngFolder()
    {
        using var dir = new TempDir();
        string path = dir.File("m.safetensors");
        Assert.Equal(0, Train(path).ExitCode);

        var byClass = CliRunner.Run("score", "--model-file", path, "--input", TestData.SubsetDir + ":5", "--json");
        Assert.True(byClass.ExitCode == 0, byClass.Err);
        using var doc = JsonDocument.Parse(byClass.Out);
        var rows = doc.RootElement.GetProperty("samples");
        Assert.Equal(20, rows.GetArrayLength());
        double first = rows[0].GetProperty("recon").GetDouble();
        Assert.True(first > 0);
        Assert.True(rows[0].TryGetProperty("density-x", out _));

        // the same five images as an IDX file and as a folder of PNGs give the same recon scores
        var test = TestData.SubsetTest.OfClass(5);
        var bytes = new byte[3 * 784];
        for (int i = 0; i < bytes.Length; i++) bytes[i] = (byte)Math.Round(test.Pixels[i] * 255f);
        string idx = dir.File("three-fives-idx3-ubyte");
        Idx.Write(idx, [3, 28, 28], bytes);
        string pngs = Path.Combine(dir.Path, "pngs");
        Directory.CreateDirectory(pngs);
        for (int i = 0; i < 3; i++)
            PngEncoder.Save(Path.Combine(pngs, $"img{i}.png"), PngImage.FromGrayFloats(test.Pixels.AsSpan(i * 784, 784), 28, 28));
        var a = CliRunner.Run("score", "--model-file", path, "--input", idx, "--json", "--score", "recon");
        var b = CliRunner.Run("score", "--model-file", path, "--input", pngs, "--json", "--score", "recon");
        Assert.True(a.ExitCode == 0, a.Err);
        Assert.True(b.ExitCode == 0, b.Err);
        using var da = JsonDocument.Parse(a.Out);
        using var db = JsonDocument.Parse(b.Out);
        for (int i = 0; i < 3; i++)
        {
            double ra = da.RootElement.GetProperty("samples")[i].GetProperty("recon").GetDouble();
            Assert.Equal(ra, db.RootElement.GetProperty("samples")[i].GetProperty("recon").GetDouble(), 6);
            Assert.Equal(ra, rows[i].GetProperty("recon").GetDouble(), 4);
        }

        var text = CliRunner.Run("score", "--model-file", path, "--input", pngs);
        Assert.Equal(0, text.ExitCode);
        Assert.Contains("img2.png", text.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void ScoreBadInputsAreClearErrors()
    {
        using var dir = new TempDir();
        string path = dir.File("m.safetensors");
        Assert.Equal(0, Train(path).ExitCode);

        string empty = Path.Combine(dir.Path, "empty");
        Directory.CreateDirectory(empty);
        File.WriteAllText(Path.Combine(empty, "notes.txt"), "no images here");
        var r = CliRunner.Run("score", "--model-file", path, "--input", empty);
        Assert.Equal(1, r.ExitCode);   // a data problem, as for train --dataset: the one message of ImageFolder
        Assert.Contains("holds no images (PNG, JPEG, BMP, GIF, TIFF and WebP); put the images directly in it.", r.Err, StringComparison.Ordinal);

        string big = Path.Combine(dir.Path, "big");
        Directory.CreateDirectory(big);
        PngEncoder.Save(Path.Combine(big, "a.png"), PngImage.FromGrayFloats(new float[32 * 32], 32, 32));
        r = CliRunner.Run("score", "--model-file", path, "--input", big);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("is 32x32; the model takes 28x28", r.Err, StringComparison.Ordinal);

        string other = dir.File("other.safetensors");
        Latent.Nn.Checkpoints.Checkpoint.Save(other, new Latent.Replicas.ConvVae(new Latent.Tensors.Rng(0), 2),
            new Dictionary<string, string> { [Latent.Nn.Checkpoints.Checkpoint.ModelTypeKey] = "ConvVAE-bench" });
        r = CliRunner.Run("score", "--model-file", other, "--input", TestData.SubsetDir + ":5");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("'ConvVAE-bench' model, which this build of Latent does not know", r.Err, StringComparison.Ordinal);

        r = CliRunner.Run("score", "--model-file", dir.File("missing.safetensors"), "--input", empty);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("does not exist", r.Err, StringComparison.Ordinal);

        r = CliRunner.Run("train", "--model", "vae", "--dataset", TestData.SubsetDir, "--lr-schedule", "step", "--out", dir.File("y.safetensors"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--lr-schedule: unknown schedule 'step'", r.Err, StringComparison.Ordinal);
        Assert.False(File.Exists(dir.File("y.safetensors")));

        r = CliRunner.Run("train", "--model", "flow", "--dataset", TestData.SubsetDir, "--out", dir.File("x.safetensors"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("unknown model 'flow'", r.Err, StringComparison.Ordinal);
        Assert.Contains("models: pca, gaussian, knn, ae, dae, vae, aae, wae, gan, bigan, infogan", r.Err, StringComparison.Ordinal);
        Assert.Equal("", r.Out);
    }

    [Fact]
    public void IwaeIsAScoreWhenAsked()
    {
        var r = CliRunner.Run("classmodel", "--model", "vae", "--arch", "dense", "--dataset", TestData.SubsetDir, "--real", "3", "--fake", "5",
            "--latent", "4", "--epochs", "1", "--iwae", "8", "--score", "recon,iwae-8", "--json");
        Assert.True(r.ExitCode == 0, r.Err);
        using var doc = JsonDocument.Parse(r.Out);
        var results = doc.RootElement.GetProperty("results");
        Assert.Equal("iwae-8", results[1].GetProperty("score").GetString());
        Assert.InRange(results[1].GetProperty("auroc").GetDouble(), 0, 1);

        var wrongK = CliRunner.Run("classmodel", "--model", "vae", "--dataset", TestData.SubsetDir, "--iwae", "8", "--score", "iwae-16");
        Assert.Equal(2, wrongK.ExitCode);
        Assert.Contains("has no score 'iwae-16'", wrongK.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void ClassModelAveragesAnEnsembleOfDeepModels()
    {
        using var dir = new TempDir();
        string report = dir.File("report");
        var r = CliRunner.Run("classmodel", "--model", "vae", "--arch", "dense", "--dataset", TestData.SubsetDir, "--real", "3", "--fake", "5",
            "--latent", "4", "--epochs", "1", "--ensemble", "2", "--augment", "shift=1", "--score", "recon", "--report", report, "--json");
        Assert.True(r.ExitCode == 0, r.Err);
        string html = File.ReadAllText(Path.Combine(report, "index.html"));
        Assert.Contains("1 epoch, seeds 0 to 1, augment shift=1,rotate=0,scale=0, ensemble of 2 (mean score)", html, StringComparison.Ordinal);
        using var doc = JsonDocument.Parse(r.Out);
        var rows = doc.RootElement.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(["vae-s0", "vae-s1", "vae-ens2"], rows.Select(x => x.GetProperty("model").GetString()));
        Assert.All(rows, x => Assert.InRange(x.GetProperty("auroc").GetDouble(), 0, 1));
    }

    [Fact]
    public void ClassModelTrainsAndEvaluatesADeepModel()
    {
        var r = CliRunner.Run("classmodel", "--model", "ae", "--dataset", TestData.SubsetDir, "--real", "3", "--fake", "5",
            "--latent", "4", "--epochs", "2", "--score", "recon,density-x", "--json");
        Assert.True(r.ExitCode == 0, r.Err);
        using var doc = JsonDocument.Parse(r.Out);
        var results = doc.RootElement.GetProperty("results");
        Assert.Equal(2, results.GetArrayLength());
        Assert.Equal("recon", results[0].GetProperty("score").GetString());
        double auroc = results[0].GetProperty("auroc").GetDouble();
        Assert.InRange(auroc, 0, 1);
    }

    [Fact]
    public void TrainOnATerminalShowsAProgressBarAndEpochLines()
    {
        using var dir = new TempDir();
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = Latent.Cli.LatentCommand.Run(["train", "--model", "ae", "--dataset", TestData.SubsetDir, "--class", "3", "--latent", "4",
            "--arch", "dense", "--epochs", "2", "--out", dir.File("ae.safetensors")], stdout, stderr, interactive: true);
        Assert.True(code == 0, stderr.ToString());
        Assert.Contains("epoch 2/2", stderr.ToString(), StringComparison.Ordinal);
        Assert.Contains("saved", stdout.ToString(), StringComparison.Ordinal);
    }
}

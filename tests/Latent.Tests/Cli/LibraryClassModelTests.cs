// The typed library API (ClassModel) gives what `latent train` then `latent score` give: the same model file, byte for
// byte, and the same scores, p-values and decisions for every test image, for an exactly fitted kind (PCA) and a
// trained one (a dense VAE), both with calibration.
using System.Text.Json;
using Latent.Cli;
using Latent.Models;
using Latent.Models.Autoencoders;
using Latent.Models.Classical;
using Latent.Models.Networks;

namespace Latent.Tests.Cli;

public class LibraryClassModelTests
{
    private static Samples Class(Latent.Data.ImageSet set, int c) => ClassModelCommand.ToSamples(set.OfClass(c));

    [Fact]
    public void PcaEqualsTrainThenScore()
    {
        var model = ClassModel.Fit(new PcaOptions { Latent = 4 }, Class(TestData.SubsetTrain, 3), calibration: 0.25);
        AssertSameAsCli(model, ["--model", "pca", "--latent", "4"]);
    }

    [Fact]
    public void TrainedVaeEqualsTrainThenScore()
    {
        var o = AutoencoderOptions.ForKind(AutoencoderKind.Vae, 3);
        o = o with { Network = o.Network with { Kind = NetworkKind.Dense }, Training = o.Training with { Epochs = 2, BatchSize = 10, Seed = 4 } };
        var model = ClassModel.Fit(o, Class(TestData.SubsetTrain, 3), calibration: 0.25);
        Assert.Equal(2, model.Epochs);
        AssertSameAsCli(model, ["--model", "vae", "--latent", "3", "--arch", "dense", "--epochs", "2", "--batch-size", "10", "--seed", "4"]);
    }

    private static void AssertSameAsCli(ClassModel model, string[] modelArgs)
    {
        using var dir = new TempDir();
        string cliFile = dir.File("cli.safetensors"), libFile = dir.File("lib.safetensors");
        var t = CliRunner.Run(["train", .. modelArgs, "--dataset", TestData.SubsetDir, "--class", "3", "--calibration", "0.25", "--out", cliFile]);
        Assert.True(t.ExitCode == 0, t.Err);
        model.Save(libFile);
        Assert.Equal(File.ReadAllBytes(cliFile), File.ReadAllBytes(libFile));

        var r = CliRunner.Run("score", "--model-file", cliFile, "--input", TestData.SubsetDir + ":5", "--alpha", "0.2", "--json");
        Assert.True(r.ExitCode == 0, r.Err);
        using var doc = JsonDocument.Parse(r.Out);
        var rows = doc.RootElement.GetProperty("samples").EnumerateArray().ToList();
        var fives = Class(TestData.SubsetTest, 5);
        Assert.Equal(fives.Count, rows.Count);
        foreach (var info in model.Scores)
        {
            NoveltyScores s = model.Score(fives, info.Name);
            double[] p = model.PValues(s);
            bool[] novel = model.Decide(s, model.Threshold(info.Name, 0.2));
            for (int i = 0; i < rows.Count; i++)
            {
                Assert.Equal(rows[i].GetProperty(info.Name).GetDouble(), s.Values[i]);
                Assert.Equal(rows[i].GetProperty("pValues").GetProperty(info.Name).GetDouble(), p[i]);
                Assert.Equal(rows[i].GetProperty("decisions").GetProperty(info.Name).GetString(), novel[i] ? "novel" : "normal");
            }
        }
    }
}

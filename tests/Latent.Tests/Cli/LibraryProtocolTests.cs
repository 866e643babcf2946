// The protocol is a library call: ClassModelProtocol.Run on the subset gives exactly the rows `latent classmodel
// --json` prints (every figure, to the last digit), for an exactly fitted kind and for a trained one; cancellation
// stops it; progress reports each class as a step.
using System.Text.Json;
using Latent.Cli;
using Latent.Models;
using Latent.Models.Autoencoders;
using Latent.Models.Evaluation;
using Latent.Models.Networks;

namespace Latent.Tests.Cli;

public class LibraryProtocolTests
{
    private static (LabelledSamples Train, LabelledSamples Test) Subset()
    {
        var d = TestData.Subset;
        return (ClassModelCommand.Labelled(TestData.SubsetTrain, d), ClassModelCommand.Labelled(TestData.SubsetTest, d));
    }

    [Fact]
    public void PcaRowsEqualTheCommandsRows()
    {
        var cli = CliRunner.Run("classmodel", "--model", "pca", "--dataset", TestData.SubsetDir, "--real", "3", "--fake", "5,8", "--latent", "4,9", "--json");
        Assert.True(cli.ExitCode == 0, cli.Err);
        var (train, test) = Subset();
        var run = ClassModelProtocol.Run(new ClassModelRequest
        {
            Model = ModelRegistry.Get("pca"), Options = new Latent.Models.Classical.PcaOptions(), Latents = [4, 9], RealClass = 3, FakeClasses = [5, 8],
        }, train, test);
        AssertSameRows(cli.Out, run);
    }

    [Fact]
    public void TrainedModelRowsEqualTheCommandsRows()
    {
        var cli = CliRunner.Run("classmodel", "--model", "vae", "--dataset", TestData.SubsetDir, "--real", "3", "--fake", "5", "--latent", "3",
            "--arch", "dense", "--epochs", "2", "--batch-size", "10", "--seed", "4", "--score", "recon,latent-nll", "--json");
        Assert.True(cli.ExitCode == 0, cli.Err);
        var (train, test) = Subset();
        var entry = ModelRegistry.Get("vae");
        var o = (AutoencoderOptions)entry.Defaults(3, train.X.Shape);
        o = o with { Network = o.Network with { Kind = NetworkKind.Dense }, Training = o.Training with { Epochs = 2, BatchSize = 10, Seed = 4 } };
        var steps = new List<string>();
        var run = ClassModelProtocol.Run(new ClassModelRequest
        {
            Model = entry, Options = o, Latents = [3], RealClass = 3, FakeClasses = [5], Scores = ["recon", "latent-nll"],
        }, train, test, new Progress(p => { if (p.IsStep) steps.Add(p.Message); }));
        AssertSameRows(cli.Out, run);
        Assert.Single(steps);
    }

    [Fact]
    public void CancellationStopsTheRun()
    {
        var (train, test) = Subset();
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => ClassModelProtocol.Run(new ClassModelRequest
        {
            Model = ModelRegistry.Get("pca"), Options = new Latent.Models.Classical.PcaOptions(), Latents = [4], RealClass = 3,
        }, train, test, cancellation: cts.Token));
    }

    private static void AssertSameRows(string json, ClassModelRun run)
    {
        using var doc = JsonDocument.Parse(json);
        var rows = doc.RootElement.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(run.Entries.Count, rows.Count);
        for (int i = 0; i < rows.Count; i++)
        {
            var r = run.Entries[i].Result;
            Assert.Equal(r.Model, rows[i].GetProperty("model").GetString());
            Assert.Equal(r.Score, rows[i].GetProperty("score").GetString());
            Assert.Equal(r.BalancedError, rows[i].GetProperty("balancedError").GetDouble());
            Assert.Equal(r.Auroc, rows[i].GetProperty("auroc").GetDouble());
            Assert.Equal(r.Threshold, rows[i].GetProperty("threshold").GetDouble());
            Assert.Equal(r.BalancedErrorLow, rows[i].GetProperty("balancedErrorLow").GetDouble());
        }
    }

    private sealed class Progress(Action<ClassModelProgress> report) : IProgress<ClassModelProgress>
    {
        public void Report(ClassModelProgress value) => report(value);
    }
}

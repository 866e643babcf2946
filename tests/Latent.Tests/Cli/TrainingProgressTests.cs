// The training bar's text (issue 19, item 8): a bias-corrected running loss, an ETA from the whole run's pace, the
// phase after the batches instead of a silent 100 %, done after the last epoch; and piped output (no terminal)
// free of control characters.
using Latent.Cli.Output;

namespace Latent.Tests.Cli;

public class TrainingProgressTests
{
    [Fact]
    public void RunningLossIsTheBiasCorrectedAverageOfTheBatches()
    {
        var p = new TrainingProgress(0, 2);
        Assert.True(double.IsNaN(p.RunningLoss));
        p.Batch(0, 10, 2f);
        Assert.Equal(2.0, p.RunningLoss, 12);            // one batch: its own loss, not 0.1 x it
        for (int b = 1; b < 5; b++) p.Batch(b, 10, 2f);
        Assert.Equal(2.0, p.RunningLoss, 12);
        p.Batch(5, 10, float.NaN);                        // a non-finite batch does not poison the display
        Assert.Equal(2.0, p.RunningLoss, 12);
        p.Batch(6, 10, 12f);
        Assert.Equal((0.9 * 2 * (1 - Math.Pow(0.9, 5)) + 0.1 * 12) / (1 - Math.Pow(0.9, 6)), p.RunningLoss, 6);   // 4.134: towards the new level
    }

    [Fact]
    public void EtaFollowsTheRunsPaceAndPhasesAndTheEndAreNamed()
    {
        var p = new TrainingProgress(0, 2);               // 2 epochs of 10 batches
        Assert.Equal("epoch 1/2", p.Describe(0));
        Assert.Null(p.Eta(1));
        for (int b = 0; b < 5; b++) p.Batch(b, 10, 1f);   // a quarter of the run in 10 s: 30 s left
        Assert.Equal("0:30", p.Eta(10));
        Assert.Equal("epoch 1/2  loss 1  ETA 0:30", p.Describe(10));
        Assert.Equal(0.5, p.Value, 12);
        for (int b = 5; b < 10; b++) p.Batch(b, 10, 1f);
        Assert.Equal("epoch 1/2  fitting statistics", p.Describe("fitting statistics"));
        p.EpochDone(1);
        Assert.False(p.Finished);
        p.Batch(0, 10, 1f);
        Assert.Equal("epoch 2/2  loss 1  ETA 0:18", p.Describe(22));   // 0.55 of the run in 22 s: 18 s left
        for (int b = 1; b < 10; b++) p.Batch(b, 10, 1f);
        p.EpochDone(2);
        Assert.True(p.Finished);
        Assert.Null(p.Eta(40));
        Assert.Equal("1:00:00", new TrainingProgressAt(0.5).Eta(3600));
    }

    /// <summary>A run a given fraction done (one epoch of 1000 batches).</summary>
    private sealed class TrainingProgressAt
    {
        private readonly TrainingProgress _p = new(0, 1);

        public TrainingProgressAt(double fraction)
        {
            for (int b = 0; b < (int)(fraction * 1000); b++) _p.Batch(b, 1000, 1f);
        }

        public string? Eta(double elapsed) => _p.Eta(elapsed);
    }

    [Fact]
    public void PipedTrainingOutputHasNoControlCharacters()
    {
        using var dir = new TempDir();
        var r = CliRunner.Run("train", "--model", "vae", "--arch", "dense", "--latent", "2", "--dataset", TestData.SubsetDir, "--class", "3",
            "--epochs", "2", "--batch-size", "16", "--out", dir.File("v.safetensors"));
        Assert.True(r.ExitCode == 0, r.Err);
        Assert.Contains("epoch 2/2", r.Err, StringComparison.Ordinal);
        foreach (string text in new[] { r.Out, r.Err })
            Assert.DoesNotContain(text, c => char.IsControl(c) && c != '\n');
    }
}

// The autoencoder family's training alarms: a huge beta collapses the VAE's posterior and raises the collapse alarm,
// a learning rate 100x too high raises the spike alarm or stops training as diverged, a held-out loss that rises
// while the training loss falls raises the overfitting alarm (and --early-stop stops there), and the alarms reach the
// epoch results and the checkpoint's metadata. The rules themselves are checked on hand-made loss sequences.
using Latent.Models;
using Latent.Models.Autoencoders;
using Latent.Models.Gans;
using Latent.Models.Training;
using Latent.Nn.Checkpoints;
using Latent.Tests.Models.Gans;

namespace Latent.Tests.Models.Autoencoders;

public class AutoencoderAlarmTests
{
    [Fact]
    public void AHugeBetaRaisesThePosteriorCollapseAlarm()
    {
        var data = AutoencoderTestData.Threes();
        var collapsed = (Vae)AutoencoderModel.Create(AutoencoderTestData.Dense(AutoencoderKind.Vae, 4).WithTraining(t => t with { Epochs = 6 }) with { Beta = 1000f });
        var results = new Trainer(collapsed).Train(data, 0, 6);
        Assert.Equal(0, collapsed.AlarmState.ActiveUnits);
        Assert.Contains(collapsed.Alarms, a => a.StartsWith("posterior collapse: 0 of 4 latent units are active", StringComparison.Ordinal));
        Assert.Contains(results[^1].Alarms!, a => a.StartsWith("posterior collapse", StringComparison.Ordinal));
        Assert.Contains("(now 1000)", results[^1].AlarmsText, StringComparison.Ordinal);
    }

    [Fact]
    public void TheCollapseRuleNeedsNoActiveUnitAndNoKl()
    {
        const int n = 4, z = 2;
        var a = new AutoencoderAlarms();
        a.ObservePosterior([0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f], [-0.01f, 0f, 0f, 0f, 0f, 0f, 0f, 0f], n, z);
        Assert.Equal(0, a.ActiveUnits);
        Assert.Contains(a.Messages(1e-3f, 1f), m => m.StartsWith("posterior collapse: 0 of 2 latent units are active", StringComparison.Ordinal));
        // a healthy VAE's first epochs: codes alike across images (no active unit) but far from the prior (KL 0.4 nats)
        a.ObservePosterior([0.9f, 0f, 0.9f, 0f, 0.9f, 0f, 0.9f, 0f], new float[8], n, z);
        Assert.Equal(0, a.ActiveUnits);
        Assert.Equal(0.405, a.KlPerDimension![0], 6);
        Assert.Empty(a.Messages(1e-3f, 1f));
        // codes that differ across images: active units
        a.ObservePosterior([1f, -1f, -1f, 1f, 1f, 1f, -1f, -1f], new float[8], n, z);
        Assert.Equal(2, a.ActiveUnits);
        Assert.Empty(a.Messages(1e-3f, 1f));
    }

    [Fact]
    public void ALearningRate100TimesTooHighRaisesTheSpikeAlarmOrStopsAsDiverged()
    {
        var data = AutoencoderTestData.Threes();
        var options = AutoencoderTestData.Dense(AutoencoderKind.Vae, 4).WithTraining(t => t with { Epochs = 10, BatchSize = 3, LearningRate = 0.1f });
        var model = AutoencoderModel.Create(options);
        var alarms = new List<string>();
        try
        {
            foreach (var r in new Trainer(model).Train(data, 0, 10)) alarms.AddRange(r.Alarms ?? []);
            Assert.Contains(alarms, a => a.StartsWith("loss spikes:", StringComparison.Ordinal) && a.Contains("try --lr 0.01", StringComparison.Ordinal));
        }
        catch (TrainingDivergedException e)
        {
            Assert.Contains("smaller learning rate", e.Message, StringComparison.Ordinal);
        }

        var calm = AutoencoderModel.Create(options.WithTraining(t => t with { LearningRate = 1e-3f }));
        var quiet = new Trainer(calm).Train(data, 0, 10);
        Assert.DoesNotContain(quiet.SelectMany(r => r.Alarms ?? []), a => a.StartsWith("loss spikes", StringComparison.Ordinal));
    }

    [Fact]
    public void TheSpikeRuleFlagsAJumpAndNotANoisyDescent()
    {
        var a = new AutoencoderAlarms();
        var rng = new Random(3);
        for (int i = 0; i < 200; i++) a.ObserveBatch(300 * Math.Exp(-i / 50.0) + 100 + 5 * rng.NextDouble());
        a.EndEpoch();
        Assert.Equal(0, a.LastEpochSpikes);
        a.ObserveBatch(1000);
        a.ObserveBatch(double.NaN);   // ignored: the trainer reports a NaN loss as diverged
        a.EndEpoch();
        Assert.Equal(1, a.LastEpochSpikes);
        Assert.StartsWith("loss spikes: 1 batch of the last epoch jumped far above the running loss (worst 1000", a.Messages(1e-3f, null)[0], StringComparison.Ordinal);
        a.EndEpoch();
        Assert.Empty(a.Messages(1e-3f, null));
    }

    [Fact]
    public void AHeldOutLossRisingWhileTheTrainingLossFallsIsOverfitting()
    {
        var a = new AutoencoderAlarms();
        a.ObserveHeldOut(1, 10, 50);
        a.ObserveHeldOut(2, 9, 40);
        a.ObserveHeldOut(3, 9.5, 35);
        Assert.False(a.Overfitting);                            // one epoch of rise
        a.ObserveHeldOut(4, 9.8, 30);
        Assert.True(a.Overfitting);
        Assert.Contains(a.Messages(1e-3f, null), m => m.StartsWith("overfitting: the held-out reconstruction error rose for 2 epochs running (9 at epoch 2 to 9.8 at epoch 4)", StringComparison.Ordinal));
        a.ObserveHeldOut(5, 9.9, 31);                           // the training loss rose too: not overfitting
        Assert.False(a.Overfitting);
    }

    [Fact]
    public void EarlyStopHoldsOutImagesAndStopsWhenTheAlarmIsRaised()
    {
        var data = AutoencoderTestData.Threes();
        var (train, held) = Trainer.HeldOutSplit(data, 0.2, 1);
        Assert.Equal(6, held.Count);
        Assert.Equal(24, train.Count);
        Assert.Equal(held.X, Trainer.HeldOutSplit(data, 0.2, 1).HeldOut.X);   // seeded: the same images every time

        var options = AutoencoderTestData.Dense(AutoencoderKind.Ae, 4).WithTraining(t => t with { Epochs = 40, HeldOut = 0.2, EarlyStop = true });
        var model = AutoencoderModel.Create(options);
        var results = new Trainer(model).Train(data, 0, 40);
        Assert.All(results, r => Assert.NotNull(r.HeldOut));
        Assert.Equal(results.Select(r => r.HeldOut!.Value), model.AlarmState.HeldOutHistory.Select(h => h.HeldOut));
        Assert.Equal(24, results[0].Images);
        if (results.Count < 40)
        {
            Assert.True(results[^1].StoppedEarly);
            Assert.Contains(results[^1].Alarms!, a => a.StartsWith("overfitting", StringComparison.Ordinal));
            Assert.Contains("(early stop: epoch ", results[^1].TermsText, StringComparison.Ordinal);
        }
        else Assert.DoesNotContain(results, r => r.StoppedEarly);
    }

    [Fact]
    public void EarlyStopKeepsAndSavesTheEpochOfTheLowestHeldOutLoss()
    {
        // 15 training images, a wide code and a large step: the held-out error turns up within a few epochs
        var data = AutoencoderTestData.Threes();
        var options = AutoencoderTestData.Dense(AutoencoderKind.Ae, 8).WithTraining(t => t with { Epochs = 60, HeldOut = 0.5, EarlyStop = true, LearningRate = 1e-2f, BatchSize = 5 });
        using var dir = new TempDir();
        string path = dir.File("ae.safetensors");
        var model = AutoencoderModel.Create(options);
        var results = new Trainer(model) { CheckpointPath = path }.Train(data, 0, 60);
        Assert.True(results[^1].StoppedEarly, $"no early stop in {results.Count} epochs: {string.Join(", ", results.Select(r => r.HeldOut))}");
        double lowest = results.Min(r => r.HeldOut!.Value);
        int best = results.First(r => r.HeldOut == lowest).Epoch;
        Assert.True(best <= results[^1].Epoch - AutoencoderAlarms.OverfitEpochs, $"best epoch {best}, stopped after {results[^1].Epoch}");
        Assert.Equal(best, results[^1].KeptEpoch);
        Assert.Contains($"(early stop: epoch {best} kept)", results[^1].TermsText, StringComparison.Ordinal);

        var (_, held) = Trainer.HeldOutSplit(data, 0.5, options.Training.Seed);
        Assert.Equal(lowest, model.HeldOutLoss(held), 9);                        // the model in memory went back
        var (loaded, epoch) = ModelFile.LoadTrained(path);
        Assert.Equal(best, epoch);                                               // and so did the saved one
        Assert.Equal(lowest, loaded.HeldOutLoss(held), 9);
        var straight = AutoencoderModel.Create(options);                         // bit for bit a run that ended there,
        new Trainer(straight).Train(data, 0, best);                              // optimiser moments included
        var saved = Checkpoint.Read(path).Tensors;
        var expected = straight.CheckpointTensors();
        Assert.Equal(expected.Select(t => t.Name).Order(StringComparer.Ordinal), saved.Keys.Order(StringComparer.Ordinal));
        Assert.All(expected, t => Assert.True(saved[t.Name].Data.SequenceEqual(t.Tensor.Data), $"{t.Name} is not the epoch-{best} value"));
    }

    [Fact]
    public void AnAlarmOnTheLastEpochAlsoGoesBackToTheLowestHeldOutLoss()
    {
        // the run of the test above, ended at the very epoch whose alarm stopped it: the same rollback, not the overfitted model
        var data = AutoencoderTestData.Threes();
        var options = AutoencoderTestData.Dense(AutoencoderKind.Ae, 8).WithTraining(t => t with { Epochs = 60, HeldOut = 0.5, EarlyStop = true, LearningRate = 1e-2f, BatchSize = 5 });
        var first = new Trainer(AutoencoderModel.Create(options)).Train(data, 0, 60);
        Assert.True(first[^1].StoppedEarly);
        int last = first[^1].Epoch;
        using var dir = new TempDir();
        string path = dir.File("ae.safetensors");
        var model = AutoencoderModel.Create(options);
        var results = new Trainer(model) { CheckpointPath = path }.Train(data, 0, last);
        Assert.Equal(last, results.Count);
        Assert.True(results[^1].StoppedEarly);
        Assert.Equal(first[^1].KeptEpoch, results[^1].KeptEpoch);
        Assert.NotEqual(last, results[^1].KeptEpoch);
        var (_, held) = Trainer.HeldOutSplit(data, 0.5, options.Training.Seed);
        double lowest = results.Min(r => r.HeldOut!.Value);
        Assert.Equal(lowest, model.HeldOutLoss(held), 9);
        Assert.Equal(results[^1].KeptEpoch, ModelFile.LoadTrained(path).Epoch);
    }

    [Fact]
    public void HeldOutImagesAreRefusedByModelsWithoutAHeldOutLossAndBadFractions()
    {
        var gan = new GanModel(GanTestData.Tiny(GanKind.Gan) with { Training = new TrainingOptions { HeldOut = 0.2, BatchSize = 10 } });
        var e = Assert.Throws<ArgumentException>(() => new Trainer(gan).Train(AutoencoderTestData.Threes(), 0, 1));
        Assert.Contains("no held-out loss", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new TrainingOptions { HeldOut = 0.9 }.Validate());
        Assert.Throws<ArgumentException>(() => new TrainingOptions { EarlyStop = true }.Validate());
        Assert.Throws<ArgumentException>(() => Trainer.HeldOutSplit(AutoencoderTestData.Threes().Slice(0, 2), 0.5, 1));
    }

    [Fact]
    public void AlarmsReachTheCheckpointMetadata()
    {
        using var dir = new TempDir();
        var model = AutoencoderModel.Create(AutoencoderTestData.Dense(AutoencoderKind.Ae, 4));
        model.AlarmState.ObserveHeldOut(1, 1, 3);
        model.AlarmState.ObserveHeldOut(2, 2, 2);
        model.AlarmState.ObserveHeldOut(3, 3, 1);
        string path = dir.File("ae.safetensors");
        ModelFile.Save(path, model, 3);
        Assert.StartsWith("overfitting", Checkpoint.Read(path).Metadata[ModelFile.AlarmsKey], StringComparison.Ordinal);
        Assert.NotNull(ModelFile.Load(path));                  // the alarms live in metadata, not in tensors: it loads as before
    }
}

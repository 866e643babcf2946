// Training alarms: a generator whose samples are all alike raises the mode-collapse alarm after an epoch, a
// discriminator at certainty for three epochs running raises the saturation alarm, and both reach the epoch result,
// the progress text and the checkpoint's metadata.
using Latent.Models;
using Latent.Models.Gans;
using Latent.Models.Training;
using Latent.Nn.Checkpoints;
using Latent.Nn.Layers;
using Latent.Tests.Models.Autoencoders;

namespace Latent.Tests.Models.Gans;

public class GanAlarmTests
{
    [Fact]
    public void MeanPairwiseDistanceMatchesAHandComputation()
    {
        // rows (0, 0), (3, 4), (6, 8): distances 5, 10, 5
        Assert.Equal(20.0 / 3, GanModelBase.MeanPairwiseDistance([0, 0, 3, 4, 6, 8], 3, 2), 10);
    }

    [Fact]
    public void ACollapsedGeneratorRaisesTheModeCollapseAlarm()
    {
        var data = AutoencoderTestData.Threes();
        var trained = new GanModel(GanTestData.Tiny(GanKind.Gan));
        var r = new Trainer(trained).Train(data, 0, 1)[0];
        Assert.True(trained.SampleDiversity.Data[0] > 0.01f, $"diversity {trained.SampleDiversity.Data[0]}");
        Assert.Equal(trained.Alarms, r.Alarms);                                    // (a 1-epoch tiny GAN is near collapse itself)

        var collapsed = new GanModel(GanTestData.Tiny(GanKind.Gan));
        var last = (ConvTranspose2d)collapsed.Generator.Net.Layers[^2];
        last.Weight.Data.Clear();                                                  // every sample is tanh(bias): one image
        collapsed.FitStatistics(data);
        Assert.Equal(0f, collapsed.SampleDiversity.Data[0], 6);
        Assert.Contains(collapsed.Alarms, a => a.StartsWith("mode collapse", StringComparison.Ordinal));
    }

    [Fact]
    public void ASaturatedDiscriminatorRaisesItsAlarmEverywhere()
    {
        using var dir = new TempDir();
        var m = new GanModel(GanTestData.Tiny(GanKind.Gan));
        m.SaturatedEpochs.Data[0] = GanModelBase.SaturationEpochs - 1;
        m.LastProbabilities.Data[0] = 0.99f;
        Assert.DoesNotContain(m.Alarms, a => a.StartsWith("discriminator saturated", StringComparison.Ordinal));
        m.SaturatedEpochs.Data[0] = GanModelBase.SaturationEpochs;
        Assert.Contains(m.Alarms, a => a.StartsWith("discriminator saturated for 3 epochs (D(x) 0.990", StringComparison.Ordinal));

        string path = dir.File("g.safetensors");
        ModelFile.Save(path, m, 3);
        Assert.Contains("discriminator saturated", Checkpoint.Read(path).Metadata[ModelFile.AlarmsKey], StringComparison.Ordinal);
        var r = new EpochResult(3, 3, ["loss_d"], [0.0], 1, 10, 1, m.Alarms.ToArray());
        Assert.Contains("  ALARM: discriminator saturated", r.AlarmsText, StringComparison.Ordinal);
    }
}

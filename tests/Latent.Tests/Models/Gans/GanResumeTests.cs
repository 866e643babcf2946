// --resume continues a GAN exactly: 1 epoch + save + load + 1 epoch gives the same bits as 2 epochs straight (both
// phases' Adam moments, batch-norm statistics, spectral-norm vectors and the class statistics included), for each kind
// and both layouts (the dense BiGAN with its dropout masks).
using Latent.Models;
using Latent.Models.Gans;
using Latent.Models.Training;
using Latent.Tests.Models.Autoencoders;

namespace Latent.Tests.Models.Gans;

public class GanResumeTests
{
    [Theory]
    [InlineData(GanKind.Gan, false, GanNetwork.Conv)]
    [InlineData(GanKind.Gan, true, GanNetwork.Conv)]
    [InlineData(GanKind.Bigan, false, GanNetwork.Conv)]
    [InlineData(GanKind.Infogan, false, GanNetwork.Conv)]
    [InlineData(GanKind.Gan, true, GanNetwork.Dense)]
    [InlineData(GanKind.Bigan, false, GanNetwork.Dense)]
    public void ResumingIsBitIdenticalToTrainingStraight(GanKind kind, bool spectralNorm, GanNetwork network)
    {
        using var dir = new TempDir();
        var o = GanTestData.Tiny(kind) with { SpectralNorm = spectralNorm, Network = network, DiscriminatorDropout = kind == GanKind.Bigan && network == GanNetwork.Dense ? 0.5f : 0f };
        o = o with { Training = o.Training with { Epochs = 2, BatchSize = 10, Seed = 4 } };
        var data = AutoencoderTestData.Threes();
        var entry = (TrainedModelEntry)ModelRegistry.Get(o.ModelName);

        var straight = entry.Create(o);
        new Trainer(straight).Train(data, 0, 2);

        string path = dir.File("m.safetensors");
        new Trainer(entry.Create(o)) { CheckpointPath = path }.Train(data, 0, 1);
        var (resumed, epoch) = ModelFile.LoadTrained(path);
        Assert.Equal(1, epoch);
        new Trainer(resumed).Train(data, 1, 2);

        var a = ResumeAssert.SameCheckpoint(straight, resumed, kind);
        Assert.Contains(a, t => t.Name.StartsWith("optim.discriminator.", StringComparison.Ordinal));
        Assert.Contains(a, t => t.Name.StartsWith("optim.generator.", StringComparison.Ordinal));
        Assert.NotEqual(1f, ((GanModelBase)straight).NoiseVar.Data[0]);                 // the statistics were fitted at the end
    }
}

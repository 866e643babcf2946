// --resume continues exactly: the checkpoint carries the optimisers' moments and step counts, the trainer draws each
// epoch's batches from (seed, epoch), so 1 epoch + save + load + 1 epoch gives the same bits as 2 epochs straight,
// for single- and multi-optimiser models (the AAE's three phases, batch norm and spectral norm included).
using Latent.Models.Autoencoders;
using Latent.Nn.Checkpoints;
using Latent.Models.Training;

namespace Latent.Tests.Models.Autoencoders;

public class ResumeTests
{
    [Theory]
    [InlineData(AutoencoderKind.Vae, false)]
    [InlineData(AutoencoderKind.Aae, true)]
    [InlineData(AutoencoderKind.Wae, false)]
    public void ResumingIsBitIdenticalToTrainingStraight(AutoencoderKind kind, bool conv)
    {
        using var dir = new TempDir();
        var o = (conv ? AutoencoderTestData.TinyConv(kind, batchNorm: true) : AutoencoderTestData.Dense(kind)) with { Penalty = WaePenalty.Gan };
        var data = AutoencoderTestData.Threes();

        var straight = AutoencoderModel.Create(o);
        new Trainer(straight).Train(data, 0, 2);

        string path = dir.File("m.safetensors");
        new Trainer(AutoencoderModel.Create(o)) { CheckpointPath = path }.Train(data, 0, 1);
        var (resumed, epoch) = AutoencoderModel.Load(path);
        Assert.Equal(1, epoch);
        new Trainer(resumed).Train(data, 1, 2);

        var a = straight.StateTensors();
        var b = resumed.StateTensors();
        Assert.Equal(a.Select(t => t.Name), b.Select(t => t.Name));
        for (int i = 0; i < a.Count; i++)
            Assert.True(a[i].Tensor.Data.SequenceEqual(b[i].Tensor.Data), $"{kind}: {a[i].Name} differs after resuming");
        Assert.Equal(straight.OptimizerTensors().Count, resumed.OptimizerTensors().Count);
    }

    [Fact]
    public void TheCheckpointHoldsEveryOptimisersMoments()
    {
        using var dir = new TempDir();
        var model = AutoencoderModel.Create(AutoencoderTestData.Dense(AutoencoderKind.Aae));
        string path = dir.File("aae.safetensors");
        new Trainer(model) { CheckpointPath = path }.Train(AutoencoderTestData.Threes(), 0, 1);
        var names = Checkpoint.Read(path).Tensors.Keys.Where(k => k.StartsWith("optim.", StringComparison.Ordinal)).ToList();
        // three optimisers (autoencoding, discriminator, regularisation), each with m, v and step for its parameters
        Assert.Equal(3, names.Select(n => n.Split('.')[1]).Distinct().Count());
        int parameters = model.Encoder.Parameters().Count * 2 + model.Decoder.Parameters().Count + ((Aae)model).Discriminator.Parameters().Count;
        Assert.Equal(3 * parameters, names.Count);
    }

    [Fact]
    public void AnOptimiserStateOfTheWrongShapeIsAClearError()
    {
        using var dir = new TempDir();
        var model = AutoencoderModel.Create(AutoencoderTestData.Dense(AutoencoderKind.Vae));
        string path = dir.File("vae.safetensors");
        new Trainer(model) { CheckpointPath = path }.Train(AutoencoderTestData.Threes(), 0, 1);
        var file = Checkpoint.Read(path);
        string first = file.Tensors.Keys.First(k => k.StartsWith("optim.autoencoding.", StringComparison.Ordinal) && k.EndsWith(".m", StringComparison.Ordinal));
        var tensors = file.Tensors.Select(kv => new Latent.Nn.NamedTensor(kv.Key,
            kv.Key == first ? new Latent.Tensors.Tensor(3) : kv.Value)).ToList();
        Checkpoint.Save(path, tensors, file.Metadata.Where(kv => kv.Key != "format").ToDictionary());
        var (loaded, _) = AutoencoderModel.Load(path);
        var e = Assert.Throws<InvalidDataException>(() => new Trainer(loaded).Train(AutoencoderTestData.Threes(), 1, 2));
        Assert.Contains(first[..^1], e.Message, StringComparison.Ordinal);
        Assert.Contains("--force", e.Message, StringComparison.Ordinal);
    }
}

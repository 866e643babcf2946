// Checkpoints written before the model-family redesign (sessions 1-3): one flat options record (training settings
// beside the network's) and optimiser state named by position (optim.<optimiser>.<parameter>.*). They load, score
// and resume exactly as the files of today do. The legacy options below are copied verbatim from a file written by
// commit 3d9599c (`latent train --model vae --arch dense --latent 3 --epochs 1 --batch-size 10` on the subset);
// that build and this one give that command bit-identical tensors and scores.
using Latent.Models;
using Latent.Models.Autoencoders;
using Latent.Models.Training;
using Latent.Nn;
using Latent.Nn.Checkpoints;

namespace Latent.Tests.Models.Registry;

public class LegacyCheckpointTests
{
    private const string LegacyOptions =
        "{\"Kind\":\"Vae\",\"Network\":{\"Kind\":\"Dense\",\"Height\":28,\"Width\":28,\"Latent\":3,\"DenseWidths\":[512,256],\"ConvChannels\":[32,32,64,64]," +
        "\"ConvDenseWidth\":0,\"DecoderExtraConv\":true,\"BatchNorm\":false,\"Pixels\":784},\"Likelihood\":\"Bernoulli\",\"Beta\":1,\"Noise\":\"Gaussian\"," +
        "\"NoiseLevel\":0.3,\"Denoising\":false,\"Augment\":{\"Shift\":0,\"Rotate\":0,\"Scale\":0},\"DiscriminatorWidth\":256,\"SpectralNorm\":true," +
        "\"DiscriminatorLearningRate\":0.001,\"RegularisationLearningRate\":0.0002,\"AdversarialBeta1\":0.5,\"Penalty\":\"Mmd\",\"Lambda\":10," +
        "\"LearningRate\":0.001,\"BatchSize\":10,\"Schedule\":\"Constant\",\"ElboSamples\":16,\"IwaeSamples\":0,\"Seed\":0,\"Latent\":3,\"Name\":\"vae\"}";

    /// <summary>recon of the first test 5 of the subset under the legacy build's model (its `latent score --json`).</summary>
    private const double LegacyRecon0 = 165.69255437191507;

    [Fact]
    public void ALegacyCheckpointLoadsScoresAndResumesExactly()
    {
        using var dir = new TempDir();
        var data = ClassModelData(3);
        var options = (AutoencoderOptions)ModelRegistry.Get("vae").ReadOptions(LegacyOptions, "legacy");
        Assert.Equal(10, options.Training.BatchSize);
        Assert.Equal(Latent.Models.Networks.NetworkKind.Dense, options.Network.Kind);

        // today's file of the legacy command, then the same tensors under the legacy names and options
        string now = dir.File("now.safetensors"), legacy = dir.File("legacy.safetensors");
        var model = AutoencoderModel.Create(options with { Training = options.Training with { Epochs = 1 } });
        new Trainer(model) { CheckpointPath = now }.Train(data, 0, 1);
        var file = Checkpoint.Read(now);
        var positions = PositionalNames(model);
        Checkpoint.Save(legacy, file.Tensors.Select(kv => new NamedTensor(positions.GetValueOrDefault(kv.Key, kv.Key), kv.Value)).ToList(),
            new Dictionary<string, string> { [Checkpoint.ModelTypeKey] = "latent.autoencoder.vae", [Checkpoint.OptionsKey] = LegacyOptions, ["epoch"] = "1" });
        Assert.Contains(Checkpoint.Read(legacy).Tensors.Keys, k => k == "optim.0.0.m");

        var fives = ClassModelData(5);
        var scored = ModelFile.Load(legacy).Model.Score(fives);
        Assert.Equal(LegacyRecon0, scored["recon"][0]);
        Assert.Equal(ModelFile.Load(now).Model.Score(fives)["recon"], scored["recon"]);

        var (a, _) = AutoencoderModel.Load(now);
        var (b, _) = AutoencoderModel.Load(legacy);
        new Trainer(a).Train(data, 1, 3);
        new Trainer(b).Train(data, 1, 3);
        var ta = a.CheckpointTensors();
        var tb = b.CheckpointTensors();
        Assert.Equal(ta.Select(t => t.Name), tb.Select(t => t.Name));
        for (int i = 0; i < ta.Count; i++) Assert.Equal(ta[i].Tensor.Data.ToArray(), tb[i].Tensor.Data.ToArray());
    }

    /// <summary>optim.autoencoding.&lt;name&gt;.x -> optim.0.&lt;position&gt;.x, position in the Adam's parameter order.</summary>
    private static Dictionary<string, string> PositionalNames(AutoencoderModel model)
    {
        var names = model.NamedParameters().Where(p => p.Name.StartsWith("enc.", StringComparison.Ordinal))
            .Concat(model.NamedParameters().Where(p => p.Name.StartsWith("dec.", StringComparison.Ordinal))).Select(p => p.Name).ToList();
        var map = new Dictionary<string, string>();
        for (int i = 0; i < names.Count; i++)
            foreach (string part in new[] { "m", "v", "step" })
                map[$"optim.autoencoding.{names[i]}.{part}"] = $"optim.0.{i}.{part}";
        return map;
    }

    private static Samples ClassModelData(int cls) =>
        Latent.Cli.ClassModelCommand.Labelled(cls == 3 ? TestData.SubsetTrain : TestData.SubsetTest, TestData.Subset).OfClass(cls);
}

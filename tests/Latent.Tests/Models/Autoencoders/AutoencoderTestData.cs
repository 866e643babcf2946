// Small models and data for the autoencoder tests: the committed MNIST subset's training 3s (30 images) and dense
// or tiny conv networks, so every test trains in well under a second per epoch.
using Latent.Models;
using Latent.Models.Autoencoders;
using Latent.Models.Networks;
using Latent.Models.Training;

namespace Latent.Tests.Models.Autoencoders;

public static class AutoencoderTestData
{
    public static Samples Threes()
    {
        var s = TestData.SubsetTrain.OfClass(3);
        return new Samples(s.Pixels, s.Count, s.Dim);
    }

    public static Samples Fives()
    {
        var s = TestData.SubsetTest.OfClass(5);
        return new Samples(s.Pixels, s.Count, s.Dim);
    }

    public static AutoencoderOptions Dense(AutoencoderKind kind, int latent = 4) => new()
    {
        Kind = kind,
        Network = new NetworkOptions { Kind = NetworkKind.Dense, Latent = latent, DenseWidths = [32] },
        Training = new TrainingOptions { BatchSize = 10, Seed = 1 },
        ElboSamples = 4,
        IwaeSamples = 4,
        SpectralNorm = true,
        DiscriminatorWidth = 16,
    };

    /// <summary>The options with their training settings changed by <paramref name="change"/>.</summary>
    public static AutoencoderOptions WithTraining(this AutoencoderOptions o, Func<TrainingOptions, TrainingOptions> change) =>
        o with { Training = change(o.Training) };

    public static AutoencoderOptions TinyConv(AutoencoderKind kind, int latent = 3, bool batchNorm = false) => Dense(kind, latent) with
    {
        Network = new NetworkOptions { Kind = NetworkKind.Conv, Latent = latent, ConvChannels = [4, 4], ConvDenseWidth = 8, BatchNorm = batchNorm },
    };
}

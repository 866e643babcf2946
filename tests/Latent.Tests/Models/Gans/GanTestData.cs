// Tiny GAN-family options for fast tests: 4- and 8-channel networks, a 16-unit joint layer, 1 epoch of batch 50, a
// short latent search, on 28 x 28 images (the committed MNIST subset's samples are flat vectors of 784 values; the
// trainer and the scores check only the value count).
using Latent.Models.Gans;

namespace Latent.Tests.Models.Gans;

internal static class GanTestData
{
    public static GanOptions Tiny(GanOptions o) => o with
    {
        Channels = 1,
        Height = 28,
        Width = 28,
        GeneratorChannels = [8, 4],
        DiscriminatorChannels = [4, 8],
        JointWidth = 16,
        Search = o.Search with { Steps = 5 },
        StatisticsSamples = 32,
        Training = o.Training with { Epochs = 1, BatchSize = 50 },
    };

    /// <summary>The first <paramref name="n"/> threes of the committed MNIST subset as an (n, 1, 28, 28) batch in [0, 1].</summary>
    public static Latent.Tensors.Tensor Threes(int n)
    {
        var data = Latent.Tests.Models.Autoencoders.AutoencoderTestData.Threes();
        var x = new Latent.Tensors.Tensor(n, 1, 28, 28);
        for (int i = 0; i < n; i++) data.Row(i).CopyTo(x.Data.Slice(i * data.Dim, data.Dim));
        return x;
    }

    public static GanOptions Tiny(GanKind kind, int latent = 3) =>
        Tiny(GanOptions.ForKind(kind, latent, Latent.Models.ImageShape.Gray(28, 28)));
}

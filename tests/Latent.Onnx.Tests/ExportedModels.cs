// The models the parity tests export, fitted once per test run on MNIST (the cache, fetched on first use): PCA and the
// diagonal Gaussian on 600 training 3s; each autoencoder kind trained one epoch on them (dense and conv networks,
// batch norm, Bernoulli and Gaussian decoders, the VAE's elbo and iwae draws), and one seeded untrained conv AE;
// the GAN and the InfoGAN (spectral norm, hinge loss) trained one epoch for their discriminator score; kNN (k = 3,
// Euclidean; k = 2, cosine); BiGAN (batch norm; spectral norm) one epoch; the flows made, maf (3 steps, batch norm) and
// realnvp (2 scales of 2 + 2 couplings), and PixelCNN (2 blocks of 8 maps), small networks one epoch, each with its
// background network (likelihood-ratio) and mean training nll (typicality);
// each saved with ModelFile and read back, as `latent export` reads it. Scored on the first 1,000 MNIST test images.
using Latent.Data;
using Latent.Models;
using Latent.Models.Autoencoders;
using Latent.Models.Autoregressive;
using Latent.Models.Classical;
using Latent.Models.Flows;
using Latent.Models.Gans;
using Latent.Models.Networks;
using Latent.Models.Training;

namespace Latent.Onnx.Tests;

public sealed class ExportedModels : IDisposable
{
    /// <summary>The test collection that shares one instance (the models are trained once per run).</summary>
    public const string Collection = "exported models";

    private readonly string dir = Path.Combine(Path.GetTempPath(), "latent-onnx-test-" + Guid.NewGuid().ToString("N"));
    private readonly Dictionary<string, LoadedModel> models = [];
    private readonly Lazy<(Samples Train, Samples Test)> data = new(LoadMnist);

    /// <summary>The names of the models (a kind, or a kind and a variant).</summary>
    public static readonly string[] Names = ["pca", "gaussian", "knn", "knn-cosine", "knn-mean", "ae", "ae-untrained-conv", "dae", "vae", "vae-gaussian-dense", "aae", "wae", "gan", "infogan-sn",
        "bigan", "bigan-sn", "bigan-dense", "gan-dense", "made", "maf", "realnvp", "pixelcnn"];

    public Samples Test => data.Value.Test;

    public ExportedModels() => Directory.CreateDirectory(dir);

    /// <summary>The model <paramref name="name"/>, fitted and saved on first use, as ModelFile.Load reads it.</summary>
    public LoadedModel Get(string name)
    {
        lock (models)
        {
            if (models.TryGetValue(name, out var m)) return m;
            string path = Path.Combine(dir, name + ".safetensors");
            Fit(name, path);
            return models[name] = ModelFile.Load(path);
        }
    }

    private void Fit(string name, string path)
    {
        Samples train = data.Value.Train;
        if (name == "ae-untrained-conv")
        {
            var options = Options(AutoencoderKind.Ae, conv: true, batchNorm: false);
            ModelFile.Save(path, AutoencoderModel.Create(options), 0);
            return;
        }
        string kind = name.Split('-')[0];
        var entry = ModelRegistry.Get(kind);
        ModelOptions o = name switch
        {
            "pca" => entry.Adapt(entry.Defaults(8, train.Shape), 8, train.Shape),
            "gaussian" => entry.Adapt(entry.Defaults(null, train.Shape), null, train.Shape),
            "knn" => new KnnOptions { Neighbours = 3 },
            "knn-cosine" => new KnnOptions { Neighbours = 2, Metric = DistanceMetric.Cosine },
            "knn-mean" => new KnnOptions { Neighbours = 3, MeanOfK = true },   // --aggregate mean
            "ae" => Options(AutoencoderKind.Ae, conv: false, batchNorm: true),
            "dae" => Options(AutoencoderKind.Dae, conv: false, batchNorm: false) with { Likelihood = DecoderLikelihood.Gaussian, Denoising = true },
            "vae" => Options(AutoencoderKind.Vae, conv: true, batchNorm: true),
            "vae-gaussian-dense" => Options(AutoencoderKind.Vae, conv: false, batchNorm: false) with { Likelihood = DecoderLikelihood.Gaussian },
            "aae" => Options(AutoencoderKind.Aae, conv: true, batchNorm: true) with { Network = ConvNet(true) with { ConvDenseWidth = 32 } },
            "wae" => Options(AutoencoderKind.Wae, conv: false, batchNorm: false),
            "gan" => Tiny((GanOptions)entry.Defaults(3, train.Shape)),
            "infogan-sn" => Tiny((GanOptions)entry.Defaults(3, train.Shape)) with { SpectralNorm = true, Loss = GanLoss.Hinge },
            "bigan" => Tiny((GanOptions)entry.Defaults(3, train.Shape)),
            "bigan-sn" => Tiny((GanOptions)entry.Defaults(3, train.Shape)) with { SpectralNorm = true },
            "bigan-dense" => Tiny((GanOptions)entry.Defaults(3, train.Shape)) with { Network = GanNetwork.Dense, DiscriminatorDropout = 0.5f },
            "gan-dense" => Tiny((GanOptions)entry.Defaults(3, train.Shape)) with { Network = GanNetwork.Dense },
            "made" => Flow(FlowKind.Made, train.Shape) with { Hidden = 64 },
            "maf" => Flow(FlowKind.Maf, train.Shape) with { Blocks = 3, Hidden = 48 },
            "realnvp" => Flow(FlowKind.RealNvp, train.Shape) with { Couplings = 2, Hidden = 8 },
            "pixelcnn" => PixelCnnOptions.For(train.Shape) with { Hidden = 8, Blocks = 2, OutputHidden = 8, Training = OneEpoch },
            _ => throw new ArgumentException($"no test model '{name}'"),
        };
        var model = Assert.Single(entry.Fit(train, [new FitItem(o)], FitContext.None));
        ModelFile.Save(path, entry, model, entry.IsTrained ? 1 : 0);
    }

    private static readonly TrainingOptions OneEpoch = new() { Epochs = 1, BatchSize = 50, Seed = 7 };

    /// <summary>A small flow of <paramref name="kind"/> (its defaults otherwise: the background network included), one epoch.</summary>
    private static FlowOptions Flow(FlowKind kind, ImageShape shape) => FlowOptions.ForKind(kind, shape) with { Training = OneEpoch };

    /// <summary>4- and 8-channel GAN networks, a short latent search, one epoch (as the main tests' GanTestData).</summary>
    private static GanOptions Tiny(GanOptions o) => o with
    {
        GeneratorChannels = [8, 4],
        DiscriminatorChannels = [4, 8],
        JointWidth = 16,
        Search = o.Search with { Steps = 5 },
        StatisticsSamples = 32,
        Training = o.Training with { Epochs = 1, BatchSize = 50, Seed = 7 },
    };

    /// <summary>The model <paramref name="name"/> read back computing only <paramref name="scores"/> (a GAN's other
    /// scores run a latent search per image).</summary>
    public IClassModel Scorer(string name, IReadOnlyCollection<string> scores)
    {
        Get(name);
        return ModelFile.Load(Path.Combine(dir, name + ".safetensors"), scores).Model;
    }

    private static AutoencoderOptions Options(AutoencoderKind kind, bool conv, bool batchNorm) => new()
    {
        Kind = kind,
        Network = conv ? ConvNet(batchNorm) : new NetworkOptions { Kind = NetworkKind.Dense, Latent = 6, DenseWidths = [64, 32], BatchNorm = batchNorm },
        Training = new TrainingOptions { Epochs = 1, BatchSize = 50, Seed = 7 },
        ElboSamples = 4,
        IwaeSamples = 5,
        DiscriminatorWidth = 16,
    };

    private static NetworkOptions ConvNet(bool batchNorm) =>
        new() { Kind = NetworkKind.Conv, Latent = 5, ConvChannels = [8, 8, 16, 16], BatchNorm = batchNorm };

    private static (Samples, Samples) LoadMnist()
    {
        var cache = new DataCache();
        var mnist = DatasetInfo.Resolve("mnist");
        ImageSet train = Datasets.Load(mnist, Split.Train, cache, fetch: true).OfClass(3);
        ImageSet test = Datasets.Load(mnist, Split.Test, cache, fetch: true);
        var trainSamples = new Samples(train.Pixels, train.Count, ImageShape.Gray(28, 28)).Slice(0, 600);
        var testSamples = new Samples(test.Pixels, test.Count, ImageShape.Gray(28, 28)).Slice(0, 1000);
        return (trainSamples, testSamples);
    }

    public void Dispose()
    {
        try { Directory.Delete(dir, recursive: true); }
        catch (IOException) { }
    }
}

[CollectionDefinition(ExportedModels.Collection)]
public sealed class ExportedModelsCollection : ICollectionFixture<ExportedModels>;

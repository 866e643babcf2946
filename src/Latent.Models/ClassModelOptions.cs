// Options shared by the class models; each model reads the ones that concern it.
namespace Latent.Models;

public sealed record ClassModelOptions
{
    /// <summary>Latent sizes to evaluate (models with a latent space); empty for the rest.</summary>
    public IReadOnlyList<int> Latents { get; init; } = [];

    /// <summary>k of the k-th nearest neighbour (knn).</summary>
    public int Neighbours { get; init; } = 1;

    public Classical.DistanceMetric Metric { get; init; } = Classical.DistanceMetric.Euclidean;

    /// <summary>Per-pixel variance floor of the diagonal Gaussian.</summary>
    public double VarianceFloor { get; init; } = Classical.DiagonalGaussian.DefaultVarianceFloor;

    /// <summary>Seed of every random draw (models that draw none ignore it).</summary>
    public int Seed { get; init; }

    /// <summary>Deep models: training length, "quick" or "paper" (Autoencoders.AutoencoderCatalog.PresetEpochs).</summary>
    public string Preset { get; init; } = "quick";

    /// <summary>Deep models: epochs, overriding the preset when set.</summary>
    public int? Epochs { get; init; }

    /// <summary>VAE: the KL weight (1 = VAE, else beta-VAE).</summary>
    public float Beta { get; init; } = 1f;

    /// <summary>Deep models: the learning-rate schedule over the run (null: the model's default).</summary>
    public Autoencoders.LrSchedule? Schedule { get; init; }

    /// <summary>Deep models: the network kind (null: the model's default, the seed's convolutional networks).</summary>
    public Networks.NetworkKind? Architecture { get; init; }

    /// <summary>VAE: train as a denoising VAE with this Gaussian input-noise level (null: no corruption).</summary>
    public float? DenoisingNoise { get; init; }

    /// <summary>Deep models: members per latent size, trained with seeds Seed .. Seed + K - 1 and scored by the mean of
    /// their scores (ClassModelEnsemble); 1 = a single model.</summary>
    public int Ensemble { get; init; } = 1;

    /// <summary>Deep models: random affine augmentation of the training images (null: none).</summary>
    public Autoencoders.Augmentation? Augment { get; init; }

    /// <summary>Deep models: mini-batch size (null: the model's default, 128).</summary>
    public int? BatchSize { get; init; }

    /// <summary>VAE: importance samples K of the iwae-K score (null: no iwae score).</summary>
    public int? IwaeSamples { get; init; }

    /// <summary>Deep models: the decoder likelihood (null: the model's default, Bernoulli).</summary>
    public Autoencoders.DecoderLikelihood? Likelihood { get; init; }

    /// <summary>Scores to compute (null: all); models whose scores are costly skip the rest.</summary>
    public IReadOnlyCollection<string>? Scores { get; init; }

    /// <summary>Progress lines of long fits (deep models: one per epoch); null for silence.</summary>
    public Action<string>? Log { get; init; }
}

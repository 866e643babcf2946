// The flat options record of autoencoder checkpoints written before the options were split into the family's
// record and the shared TrainingOptions (format of sessions 1-3). Read only, and mapped field by field, so those
// checkpoints load, score and resume as before.
using Latent.Models.Networks;
using Latent.Models.Training;

namespace Latent.Models.Autoencoders;

internal sealed record LegacyAutoencoderOptions
{
    public AutoencoderKind Kind { get; init; } = AutoencoderKind.Vae;
    public NetworkOptions Network { get; init; } = new();
    public DecoderLikelihood Likelihood { get; init; } = DecoderLikelihood.Bernoulli;
    public float Beta { get; init; } = 1f;
    public NoiseKind Noise { get; init; } = NoiseKind.Gaussian;
    public float NoiseLevel { get; init; } = 0.3f;
    public bool Denoising { get; init; }
    public Augmentation Augment { get; init; } = Augmentation.None;
    public int DiscriminatorWidth { get; init; } = 256;
    public bool SpectralNorm { get; init; } = true;
    public float DiscriminatorLearningRate { get; init; } = 1e-3f;
    public float RegularisationLearningRate { get; init; } = 2e-4f;
    public float AdversarialBeta1 { get; init; } = 0.5f;
    public WaePenalty Penalty { get; init; } = WaePenalty.Mmd;
    public float Lambda { get; init; } = 10f;
    public float LearningRate { get; init; } = 1e-3f;
    public int BatchSize { get; init; } = 128;
    public LrSchedule Schedule { get; init; } = LrSchedule.Constant;
    public int ElboSamples { get; init; } = 16;
    public int IwaeSamples { get; init; }
    public int Seed { get; init; }

    public AutoencoderOptions ToOptions() => new()
    {
        Kind = Kind,
        Network = Network,
        Likelihood = Likelihood,
        Beta = Beta,
        Noise = Noise,
        NoiseLevel = NoiseLevel,
        Denoising = Denoising,
        DiscriminatorWidth = DiscriminatorWidth,
        SpectralNorm = SpectralNorm,
        DiscriminatorLearningRate = DiscriminatorLearningRate,
        RegularisationLearningRate = RegularisationLearningRate,
        AdversarialBeta1 = AdversarialBeta1,
        Penalty = Penalty,
        Lambda = Lambda,
        ElboSamples = ElboSamples,
        IwaeSamples = IwaeSamples,
        Training = new TrainingOptions { LearningRate = LearningRate, BatchSize = BatchSize, Schedule = Schedule, Seed = Seed, Augment = Augment },
    };
}

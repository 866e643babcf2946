// Everything that defines an autoencoder model and its training: stored as JSON in the checkpoint metadata, so a
// model file rebuilds exactly the network it was saved from. Defaults per kind (ForKind) follow the seed study
// (../shared/seeds/000_*.txt): the VAE is ../shared/peers/vae_torch.py's ConvVAE, the AAE has three conv and two
// dense layers in the encoder, batch norm, and a spectrally normalised three-layer latent discriminator.
using System.Text.Json;
using System.Text.Json.Serialization;
using Latent.Models.Networks;

namespace Latent.Models.Autoencoders;

public sealed record AutoencoderOptions
{
    public AutoencoderKind Kind { get; init; } = AutoencoderKind.Vae;
    public NetworkOptions Network { get; init; } = new();
    public DecoderLikelihood Likelihood { get; init; } = DecoderLikelihood.Bernoulli;

    /// <summary>VAE: weight of the KL term (1 = the VAE; beta-VAE otherwise).</summary>
    public float Beta { get; init; } = 1f;

    /// <summary>DAE: the corruption and its level (std of Gaussian noise, or the masked fraction).</summary>
    public NoiseKind Noise { get; init; } = NoiseKind.Gaussian;
    public float NoiseLevel { get; init; } = 0.3f;

    /// <summary>VAE: train as a denoising VAE (Im et al. 2017): q(z | x~) of a corrupted copy x~ (Noise, NoiseLevel)
    /// reconstructs the clean x. Scores always encode the clean input.</summary>
    public bool Denoising { get; init; }

    /// <summary>Random affine augmentation of the training images (none by default); see <see cref="Augmentation"/>.</summary>
    public Augmentation Augment { get; init; } = Augmentation.None;

    /// <summary>AAE / WAE-GAN: hidden width of the latent discriminator and whether its layers are spectrally normalised.</summary>
    public int DiscriminatorWidth { get; init; } = 256;
    public bool SpectralNorm { get; init; } = true;

    /// <summary>
    /// AAE: Adam settings of the two adversarial phases, discriminator (2) and regularisation (3, the encoder as
    /// generator); the reconstruction phase (1) keeps <see cref="LearningRate"/> and beta1 0.9. Each phase has its own
    /// Adam, and Adam's step is about lr per weight whatever the loss scale, so the rates alone set how hard each
    /// phase pulls on the encoder. With every phase at Adam(1e-3, 0.9) the codes chase the discriminator in swings
    /// of up to 2 standard deviations per epoch and never settle on N(0, I), while D stays at chance (loss 2 ln 2).
    /// Defaults: GAN practice's Adam(2e-4, betas (0.5, 0.999)) for the regularisation phase (Radford et al. 2016) and
    /// a five times faster discriminator (two time-scale rule, Heusel et al. 2017), which a spectrally normalised D
    /// needs to see the codes' spread at all. Measured in results/autoencoders/aae-phase-balance.txt. The learning-rate
    /// schedule (Schedule) scales these rates as it scales LearningRate.
    /// </summary>
    public float DiscriminatorLearningRate { get; init; } = 1e-3f;
    public float RegularisationLearningRate { get; init; } = 2e-4f;
    public float AdversarialBeta1 { get; init; } = 0.5f;

    /// <summary>WAE: the penalty and its weight lambda.</summary>
    public WaePenalty Penalty { get; init; } = WaePenalty.Mmd;
    public float Lambda { get; init; } = 10f;

    /// <summary>Adam learning rate (PyTorch's default 1e-3) and mini-batch size.</summary>
    public float LearningRate { get; init; } = 1e-3f;
    public int BatchSize { get; init; } = 128;

    /// <summary>How the learning rate changes over the run's steps (constant: PyTorch's default, as the peer).</summary>
    public LrSchedule Schedule { get; init; } = LrSchedule.Constant;

    /// <summary>VAE scores: samples of q(z|x) for the elbo score (and the iwae score when IwaeSamples > 0).</summary>
    public int ElboSamples { get; init; } = 16;
    public int IwaeSamples { get; init; }

    /// <summary>Seed of the initial weights, the shuffles and every noise draw.</summary>
    public int Seed { get; init; }

    public int Latent => Network.Latent;

    /// <summary>The command-line name (ae, dae, vae, aae, wae).</summary>
    public string Name => Kind.ToString().ToLowerInvariant();

    /// <summary>The defaults of one kind at one latent size, for images of the given size.</summary>
    public static AutoencoderOptions ForKind(AutoencoderKind kind, int latent, int height = 28, int width = 28) => kind switch
    {
        AutoencoderKind.Aae => new AutoencoderOptions
        {
            Kind = kind,
            Network = new NetworkOptions { Latent = latent, Height = height, Width = width, ConvChannels = [32, 64, 64], ConvDenseWidth = 256, BatchNorm = true },
        },
        _ => new AutoencoderOptions { Kind = kind, Network = new NetworkOptions { Latent = latent, Height = height, Width = width } },
    };

    /// <summary>Throws an ArgumentException naming the bad option.</summary>
    public void Validate()
    {
        Network.Validate();
        if (!(Beta >= 0f) || !float.IsFinite(Beta)) throw new ArgumentException($"beta {Beta} must be a finite number >= 0.");
        if (!(NoiseLevel >= 0f) || (Noise == NoiseKind.Masking && NoiseLevel >= 1f) || !float.IsFinite(NoiseLevel))
            throw new ArgumentException($"noise level {NoiseLevel} must be >= 0 (and < 1 for masking).");
        ArgumentNullException.ThrowIfNull(Augment, nameof(Augment));
        Augment.Validate();
        if (DiscriminatorWidth < 1) throw new ArgumentException($"discriminator width {DiscriminatorWidth} must be positive.");
        if (!(Lambda >= 0f) || !float.IsFinite(Lambda)) throw new ArgumentException($"lambda {Lambda} must be a finite number >= 0.");
        if (!(LearningRate > 0f) || !float.IsFinite(LearningRate)) throw new ArgumentException($"learning rate {LearningRate} must be positive.");
        if (!(DiscriminatorLearningRate > 0f) || !float.IsFinite(DiscriminatorLearningRate))
            throw new ArgumentException($"discriminator learning rate {DiscriminatorLearningRate} must be positive.");
        if (!(RegularisationLearningRate > 0f) || !float.IsFinite(RegularisationLearningRate))
            throw new ArgumentException($"regularisation learning rate {RegularisationLearningRate} must be positive.");
        if (!(AdversarialBeta1 >= 0f && AdversarialBeta1 < 1f)) throw new ArgumentException($"adversarial beta1 {AdversarialBeta1} must be in [0, 1).");
        if (BatchSize < 2) throw new ArgumentException($"batch size {BatchSize} must be at least 2.");
        if (ElboSamples < 1 || IwaeSamples < 0) throw new ArgumentException($"elbo samples {ElboSamples} must be >= 1 and iwae samples {IwaeSamples} >= 0.");
    }

    private static readonly JsonSerializerOptions Json = new() { Converters = { new JsonStringEnumConverter() } };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Parses options written by <see cref="ToJson"/>; <paramref name="source"/> names the file in errors.</summary>
    public static AutoencoderOptions FromJson(string json, string source)
    {
        try
        {
            return JsonSerializer.Deserialize<AutoencoderOptions>(json, Json)
                ?? throw new InvalidDataException($"{source}: the model options are empty.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source}: the model options are not valid JSON for an autoencoder ({e.Message}).", e);
        }
    }
}

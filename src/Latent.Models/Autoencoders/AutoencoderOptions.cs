// The autoencoder family's options: everything that defines the networks and the objective of an ae, dae, vae, aae
// or wae model (the shared training settings are in Training, TrainingOptions). Stored as JSON in the checkpoint
// metadata, so a model file rebuilds exactly the network it was saved from; files written before the options were
// split by family (one flat record) are read by AutoencoderOptionsJson. Defaults per kind (ForKind) follow the seed
// study (../shared/seeds/000_*.txt): the VAE is ../shared/peers/vae_torch.py's ConvVAE, the AAE has three conv and
// two dense layers in the encoder, batch norm, and a spectrally normalised three-layer latent discriminator.
using System.Text.Json.Serialization;
using Latent.Models.Networks;

namespace Latent.Models.Autoencoders;

/// <summary>The autoencoder family's options: everything that defines the networks and the objective of an ae, dae, vae, aae or wae model (the shared training settings are in Training, TrainingOptions).</summary>
public sealed record AutoencoderOptions : TrainedModelOptions
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

    /// <summary>AAE / WAE-GAN: hidden width of the latent discriminator and whether its layers are spectrally normalised.</summary>
    public int DiscriminatorWidth { get; init; } = 256;
    public bool SpectralNorm { get; init; } = true;

    /// <summary>
    /// AAE: Adam settings of the two adversarial phases, discriminator (2) and regularisation (3, the encoder as
    /// generator); the reconstruction phase (1) keeps the training learning rate and beta1 0.9. Each phase has its own
    /// Adam, and Adam's step is about lr per weight whatever the loss scale, so the rates alone set how hard each
    /// phase pulls on the encoder. With every phase at Adam(1e-3, 0.9) the codes chase the discriminator in swings
    /// of up to 2 standard deviations per epoch and never settle on N(0, I), while D stays at chance (loss 2 ln 2).
    /// Defaults: GAN practice's Adam(2e-4, betas (0.5, 0.999)) for the regularisation phase (Radford et al. 2016) and
    /// a five times faster discriminator (two time-scale rule, Heusel et al. 2017), which a spectrally normalised D
    /// needs to see the codes' spread at all. Measured in results/autoencoders/aae-phase-balance.txt. The learning-rate
    /// schedule scales these rates as it scales the training learning rate.
    /// </summary>
    public float DiscriminatorLearningRate { get; init; } = 1e-3f;
    public float RegularisationLearningRate { get; init; } = 2e-4f;
    public float AdversarialBeta1 { get; init; } = 0.5f;

    /// <summary>WAE: the penalty and its weight lambda.</summary>
    public WaePenalty Penalty { get; init; } = WaePenalty.Mmd;
    public float Lambda { get; init; } = 10f;

    /// <summary>VAE scores: samples of q(z|x) for the elbo score (and the iwae score when IwaeSamples > 0).</summary>
    public int ElboSamples { get; init; } = 16;
    public int IwaeSamples { get; init; }

    /// <summary>Largest number of importance or elbo draws (each is a decoder pass per sample).</summary>
    public const int MaxDraws = 10_000;

    [JsonIgnore]
    public int Latent => Network.Latent;

    public override int? LatentSize => Network.Latent;

    public override ImageShape? InputShape => Network.Shape;

    public override string ModelName => Name;

    /// <summary>The command-line name (ae, dae, vae, aae, wae).</summary>
    [JsonIgnore]
    public string Name => Kind.ToString().ToLowerInvariant();

    /// <summary>The defaults of one kind at one latent size, for images of the given shape (default 1 x 28 x 28).</summary>
    public static AutoencoderOptions ForKind(AutoencoderKind kind, int latent, ImageShape? shape = null)
    {
        var s = shape ?? ImageShape.Gray(28, 28);
        var network = new NetworkOptions { Latent = latent, Channels = s.Channels, Height = s.Height, Width = s.Width };
        return kind switch
        {
            AutoencoderKind.Aae => new AutoencoderOptions
            {
                Kind = kind,
                Network = network with { ConvChannels = [32, 64, 64], ConvDenseWidth = 256, BatchNorm = true },
            },
            _ => new AutoencoderOptions { Kind = kind, Network = network },
        };
    }

    public override IEnumerable<KeyValuePair<string, string>> Settings(int members = 1)
    {
        var defaults = ForKind(Kind, Latent);
        var parts = new List<string> { Network.Kind.ToString().ToLowerInvariant() + " networks" };
        if (Likelihood != defaults.Likelihood) parts.Add($"{Likelihood.ToString().ToLowerInvariant()} decoder");
        if (Kind == AutoencoderKind.Vae && Beta != 1f) parts.Add(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"beta {Beta:G3}"));
        if (Denoising || Kind == AutoencoderKind.Dae) parts.Add(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"denoising noise {NoiseLevel:G3}"));
        if (IwaeSamples > 0) parts.Add($"iwae K = {IwaeSamples}");
        return [new("training", Training.Describe(members)), new("network", string.Join(", ", parts))];
    }

    /// <summary>Throws an ArgumentException naming the bad option.</summary>
    public override void Validate()
    {
        if (!Enum.IsDefined(Kind)) throw new ArgumentException($"autoencoder kind {(int)Kind} is unknown; use ae, dae, vae, aae or wae.");
        if (Network is null) throw new ArgumentException("the network options are missing.");
        Network.Validate();
        if (Training is null) throw new ArgumentException("the training options are missing.");
        Training.Validate();
        if (!Enum.IsDefined(Likelihood)) throw new ArgumentException($"decoder likelihood {(int)Likelihood} is unknown; use bernoulli or gaussian.");
        if (!Enum.IsDefined(Noise)) throw new ArgumentException($"noise kind {(int)Noise} is unknown; use gaussian or masking.");
        if (!Enum.IsDefined(Penalty)) throw new ArgumentException($"WAE penalty {(int)Penalty} is unknown; use mmd or gan.");
        if (!(Beta >= 0f) || !float.IsFinite(Beta)) throw new ArgumentException($"beta {Beta} must be a finite number >= 0.");
        if (!(NoiseLevel >= 0f) || (Noise == NoiseKind.Masking && NoiseLevel >= 1f) || !float.IsFinite(NoiseLevel))
            throw new ArgumentException($"noise level {NoiseLevel} must be >= 0 (and < 1 for masking).");
        if (DiscriminatorWidth < 1 || DiscriminatorWidth > 1 << 16) throw new ArgumentException($"discriminator width {DiscriminatorWidth} must be between 1 and 65536.");
        if (!(Lambda >= 0f) || !float.IsFinite(Lambda)) throw new ArgumentException($"lambda {Lambda} must be a finite number >= 0.");
        if (!(DiscriminatorLearningRate > 0f) || !float.IsFinite(DiscriminatorLearningRate))
            throw new ArgumentException($"discriminator learning rate {DiscriminatorLearningRate} must be positive.");
        if (!(RegularisationLearningRate > 0f) || !float.IsFinite(RegularisationLearningRate))
            throw new ArgumentException($"regularisation learning rate {RegularisationLearningRate} must be positive.");
        if (!(AdversarialBeta1 >= 0f && AdversarialBeta1 < 1f)) throw new ArgumentException($"adversarial beta1 {AdversarialBeta1} must be in [0, 1).");
        if (ElboSamples < 1 || ElboSamples > MaxDraws) throw new ArgumentException($"elbo samples {ElboSamples} must be 1 to {MaxDraws}.");
        if (IwaeSamples < 0 || IwaeSamples > MaxDraws) throw new ArgumentException($"iwae samples {IwaeSamples} must be 0 (no iwae score) to {MaxDraws}.");
    }
}

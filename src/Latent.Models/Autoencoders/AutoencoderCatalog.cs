// The autoencoder family as class models for `latent classmodel`: one ClassModelKind per member, and the fit that
// trains one model per latent size on the training class (the defaults of AutoencoderOptions.ForKind, square
// images) for the preset's epochs, then wraps it in AutoencoderScores; with ClassModelOptions.Ensemble = K > 1, K
// models per latent size (seeds Seed .. Seed + K - 1), each scored alone (named "vae-s<seed>") and as a
// ClassModelEnsemble ("vae-ensK"), so that results show the ensemble beside its members.
using System.Globalization;

namespace Latent.Models.Autoencoders;

public static class AutoencoderCatalog
{
    /// <summary>Epochs of each --preset: quick (minutes on 2 cores), paper (the seed study's training length).</summary>
    public static IReadOnlyDictionary<string, int> PresetEpochs { get; } = new Dictionary<string, int> { ["quick"] = 5, ["paper"] = 50 };

    public static IReadOnlyList<ClassModelKind> Kinds { get; } =
    [
        Kind(AutoencoderKind.Ae, "autoencoder (conv, Bernoulli decoder)"),
        Kind(AutoencoderKind.Dae, "denoising autoencoder (Gaussian noise 0.3)"),
        Kind(AutoencoderKind.Vae, "VAE / beta-VAE (the seed's ConvVAE; --beta)"),
        Kind(AutoencoderKind.Aae, "adversarial autoencoder (latent discriminator, spectral norm)"),
        Kind(AutoencoderKind.Wae, "Wasserstein autoencoder (MMD, inverse multiquadric kernel)"),
    ];

    /// <summary>Trains one model per latent size of <paramref name="options"/> on <paramref name="train"/>.</summary>
    public static IReadOnlyList<IClassModel> Fit(string name, Samples train, ClassModelOptions options)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(options);
        var kind = Enum.Parse<AutoencoderKind>(name, ignoreCase: true);
        int side = (int)Math.Round(Math.Sqrt(train.Dim));
        if (side * side != train.Dim) throw new ArgumentException($"model '{name}' needs square images; got {train.Dim} pixels per image.");
        int epochs = options.Epochs ?? (PresetEpochs.TryGetValue(options.Preset, out int e) ? e
            : throw new ArgumentException($"unknown preset '{options.Preset}'; presets: {string.Join(", ", PresetEpochs.Keys)}."));
        if (epochs < 1) throw new ArgumentException($"epochs must be at least 1, got {epochs}.");
        var models = new List<IClassModel>();
        if (options.Ensemble < 1) throw new ArgumentException($"an ensemble has at least 1 member, got {options.Ensemble}.");
        foreach (int latent in options.Latents)
        {
            var members = new List<IClassModel>();
            for (int k = 0; k < options.Ensemble; k++)
            {
                var model = AutoencoderFile.Create(MemberOptions(kind, latent, side, options, options.Seed + k));
                string who = options.Ensemble == 1 ? $"{name} latent {latent}" : $"{name} latent {latent} member {k + 1}/{options.Ensemble}";
                var trainer = new AutoencoderTrainer(model)
                {
                    EpochDone = r => options.Log?.Invoke(string.Create(CultureInfo.InvariantCulture,
                        $"  {who} epoch {r.Epoch}/{r.Epochs}: {r.TermsText}  ({r.Seconds:0.0} s, {r.ImagesPerSecond:0} img/s training)")),
                };
                trainer.Train(train, 0, epochs);
                members.Add(new AutoencoderScores(model, options.Scores, options.Ensemble == 1 ? null : $"{name}-s{options.Seed + k}"));
            }
            models.AddRange(members);
            if (members.Count > 1) models.Add(new ClassModelEnsemble(members, $"{name}-ens{members.Count}"));
        }
        return models;
    }

    /// <summary>The options of one model: the kind's defaults at this latent size, with the class-model options applied.</summary>
    private static AutoencoderOptions MemberOptions(AutoencoderKind kind, int latent, int side, ClassModelOptions options, int seed)
    {
        var o = AutoencoderOptions.ForKind(kind, latent, side, side) with { Seed = seed, Beta = options.Beta };
        return o with
        {
            Schedule = options.Schedule ?? o.Schedule,
            BatchSize = options.BatchSize ?? o.BatchSize,
            Likelihood = options.Likelihood ?? o.Likelihood,
            Denoising = o.Denoising || (kind == AutoencoderKind.Vae && options.DenoisingNoise is not null),
            NoiseLevel = options.DenoisingNoise ?? o.NoiseLevel,
            Augment = options.Augment ?? o.Augment,
            IwaeSamples = kind == AutoencoderKind.Vae ? options.IwaeSamples ?? o.IwaeSamples : o.IwaeSamples,
            Network = o.Network with { Kind = options.Architecture ?? o.Network.Kind },
        };
    }

    private static ClassModelKind Kind(AutoencoderKind kind, string description) =>
        new(kind.ToString().ToLowerInvariant(), description, true, AutoencoderScores.Available(AutoencoderOptions.ForKind(kind, 2)));
}

// The autoencoder family's options (AutoencoderOptions): --beta, --arch, --dense-widths, --likelihood, --denoise, --iwae,
// --batch-norm, --spectral-norm, --penalty. Each applies to the kinds whose objective reads it; given to another
// kind it is an error naming the kinds it applies to.
using System.CommandLine;
using Latent.Models;
using Latent.Models.Autoencoders;
using Latent.Models.Networks;

namespace Latent.Cli;

internal sealed class AutoencoderOptionGroup : IOptionGroup
{
    public Option<float?> Beta { get; } = new("--beta") { Description = "vae: KL weight (1 = VAE, else beta-VAE)." };
    public Option<string?> Architecture { get; } = new("--arch") { Description = "Autoencoders and GANs: conv (default) or dense networks (GANs: Keras-GAN's multilayer perceptrons, the seed study's BiGAN)." };
    public Option<string?> DenseWidths { get; } = new("--dense-widths")
    {
        Description = "Autoencoders with --arch dense: hidden widths of the encoder, input side first (the decoder mirrors them), e.g. 512 for 784-512-Z-512-784 (default 512,256).",
    };
    public Option<string?> Likelihood { get; } = new("--likelihood") { Description = "Autoencoders: decoder likelihood, bernoulli (default) or gaussian (the sigma-VAE's)." };
    public Option<float?> Denoise { get; } = new("--denoise") { Description = "dae: input noise std (default 0.3); vae: train as a denoising VAE with this noise std (e.g. 0.3)." };
    public Option<int?> Iwae { get; } = new("--iwae") { Description = "vae: add the iwae-K score with K importance samples (Burda et al. 2016), 1 to 10000." };
    public Option<bool?> BatchNorm { get; } = new("--batch-norm") { Description = "Autoencoders: a flag, batch norm in encoder and decoder; --batch-norm false turns it off (default: on for aae, off for the others)." };
    public Option<bool?> SpectralNorm { get; } = new("--spectral-norm") { Description = "A flag: spectral norm on the latent discriminator (aae, wae --penalty gan; on by default, --spectral-norm false turns it off) or on D (GANs; off by default)." };
    public Option<string?> Penalty { get; } = new("--penalty") { Description = "wae: mmd (default) or gan." };

    public IReadOnlyList<Option> Options => [Beta, Architecture, DenseWidths, Likelihood, Denoise, Iwae, BatchNorm, SpectralNorm, Penalty];

    public ModelOptions Apply(ModelOptions options, ModelEntry entry, ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(entry);
        // every value is checked first, so that a bad value is named whatever the model
        float? beta = parse.GetValue(Beta);
        if (beta is not null && !(beta >= 0f && float.IsFinite(beta.Value))) throw new CliException($"--beta {beta}: the KL weight must be a finite number >= 0 (1 = VAE).");
        float? noise = parse.GetValue(Denoise);
        if (noise is not null && !(noise > 0f && noise <= 1f)) throw new CliException($"--denoise {noise}: the noise std must be in (0, 1], e.g. 0.3.");
        int? iwae = parse.GetValue(Iwae);
        if (iwae is not null and not (>= 1 and <= AutoencoderOptions.MaxDraws))
            throw new CliException($"--iwae {iwae}: give the number of importance samples, 1 to {AutoencoderOptions.MaxDraws} (e.g. 64).");
        var likelihood = ParseLikelihood(parse.GetValue(Likelihood));
        var penalty = ParsePenalty(parse.GetValue(Penalty));
        var architecture = ParseArchitecture(parse.GetValue(Architecture));
        var widths = ParseDenseWidths(parse.GetValue(DenseWidths));
        if (options is not AutoencoderOptions o)
        {
            foreach (var opt in Options.Where(parse.Given).Where(opt => !((opt == SpectralNorm || opt == Architecture) && options is Models.Gans.GanOptions)))   // shared with the GANs
                throw OptionGroupExtensions.NotFor(opt, entry, $"the autoencoders ({ModelRegistry.Names(e => e is AutoencoderEntry)})");
            return options;
        }
        Only(parse, Beta, entry, o, "vae", AutoencoderKind.Vae);
        Only(parse, Iwae, entry, o, "vae", AutoencoderKind.Vae);
        Only(parse, Denoise, entry, o, "dae and vae", AutoencoderKind.Dae, AutoencoderKind.Vae);
        Only(parse, SpectralNorm, entry, o, "aae and wae", AutoencoderKind.Aae, AutoencoderKind.Wae);
        Only(parse, Penalty, entry, o, "wae", AutoencoderKind.Wae);
        var kind = architecture ?? o.Network.Kind;
        if (widths is not null && kind != NetworkKind.Dense)
            throw new CliException($"--dense-widths sets the widths of dense networks, but '{entry.Name}' uses {kind.ToString().ToLowerInvariant()} networks here; add --arch dense.");
        return o with
        {
            Beta = beta ?? o.Beta,
            Likelihood = likelihood ?? o.Likelihood,
            Denoising = o.Denoising || (o.Kind == AutoencoderKind.Vae && noise is not null),
            NoiseLevel = noise ?? o.NoiseLevel,
            IwaeSamples = iwae ?? o.IwaeSamples,
            SpectralNorm = parse.GetValue(SpectralNorm) ?? o.SpectralNorm,
            Penalty = penalty ?? o.Penalty,
            Network = o.Network with
            {
                Kind = kind,
                DenseWidths = widths ?? o.Network.DenseWidths,
                BatchNorm = parse.GetValue(BatchNorm) ?? o.Network.BatchNorm,
            },
        };
    }

    private static void Only(ParseResult parse, Option option, ModelEntry entry, AutoencoderOptions o, string names, params AutoencoderKind[] kinds)
    {
        if (parse.Given(option) && !kinds.Contains(o.Kind)) throw OptionGroupExtensions.NotFor(option, entry, names);
    }

    /// <summary>--penalty: null (the model's default, mmd), mmd or gan.</summary>
    internal static WaePenalty? ParsePenalty(string? text) =>
        CliChoice.Parse(text, "--penalty", "penalty", ("mmd", WaePenalty.Mmd), ("gan", WaePenalty.Gan));

    /// <summary>--arch: null (the model's default), conv or dense.</summary>
    internal static NetworkKind? ParseArchitecture(string? text) =>
        CliChoice.Parse(text, "--arch", "architecture", ("conv", NetworkKind.Conv), ("dense", NetworkKind.Dense));

    /// <summary>--dense-widths: null (the model's default) or 1 to NetworkOptions.MaxLayers comma-separated widths.</summary>
    internal static int[]? ParseDenseWidths(string? text)
    {
        if (text is null) return null;
        string[] parts = text.Split(',');
        var r = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!int.TryParse(parts[i].Trim(), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out r[i])
                || r[i] < 1 || r[i] > NetworkOptions.MaxWidth)
                throw new CliException($"--dense-widths {text}: give the hidden widths as comma-separated numbers from 1 to {NetworkOptions.MaxWidth}, e.g. 512 or 512,256.");
        if (r.Length > NetworkOptions.MaxLayers) throw new CliException($"--dense-widths {text}: at most {NetworkOptions.MaxLayers} hidden layers.");
        return r;
    }

    /// <summary>--likelihood: null (the model's default), bernoulli or gaussian.</summary>
    internal static DecoderLikelihood? ParseLikelihood(string? text) =>
        CliChoice.Parse(text, "--likelihood", "likelihood", ("bernoulli", DecoderLikelihood.Bernoulli), ("gaussian", DecoderLikelihood.Gaussian));
}

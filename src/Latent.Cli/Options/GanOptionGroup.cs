// The GAN family's options (GanOptions): --gan-loss, --g-channels, --d-channels, --joint-width, InfoGAN's
// --categories, --continuous-codes, --info-weight, the latent search's --search-steps, --search-restarts, --search-lr,
// --search-feature-weight, --search-prior-weight, --statistics-samples, gan's f-AnoGAN encoder --encoder-epochs, --encoder-feature-weight,
// bigan's --cycle-weight, --latent-cycle-weight, --prior-weight, --d-dropout, every kind's --d-lr, and --spectral-norm and --arch (declared by the autoencoder group, shared; --arch dense is
// Keras-GAN's layout, whose widths default to G 512,512 and D 512,256, BiGAN's E 512,512, when --g-channels / --d-channels
// are not given).
// Each applies to the kinds that read it; given to another kind it is an error naming the kinds it applies to.
using System.CommandLine;
using Latent.Models;
using Latent.Models.Gans;
using Latent.Models.Scores;

namespace Latent.Cli;

internal sealed class GanOptionGroup(Option<bool?> spectralNorm, Option<string?> architecture) : IOptionGroup
{
    public Option<string?> Loss { get; } = new("--gan-loss") { Description = "GANs: the adversarial loss, nonsaturating (default) or hinge." };
    public Option<string?> GeneratorChannels { get; } = new("--g-channels") { Description = "GANs: G's two channel counts (default 128,64, the DCGAN's); dense: its two hidden widths (default 512,512)." };
    public Option<string?> DiscriminatorChannels { get; } = new("--d-channels") { Description = "GANs: D's (and BiGAN's encoder's) two channel counts (default 64,128); dense: their hidden widths (default 512,256; BiGAN's E 512,512)." };
    public Option<int?> JointWidth { get; } = new("--joint-width") { Description = "bigan: hidden width of the joint discriminator D(x, z) (default 1024)." };
    public Option<int?> Categories { get; } = new("--categories") { Description = "infogan: categories of the categorical code (default 10; 0: none)." };
    public Option<int?> ContinuousCodes { get; } = new("--continuous-codes") { Description = "infogan: continuous codes U(-1, 1) (default 2)." };
    public Option<float?> InfoWeight { get; } = new("--info-weight") { Description = "infogan: lambda of the mutual-information term (default 1)." };
    public Option<int?> SearchSteps { get; } = new("--search-steps") { Description = "gan, infogan: Adam steps of the latent search per restart (default 100)." };
    public Option<int?> SearchRestarts { get; } = new("--search-restarts") { Description = "gan, infogan: starting codes of the latent search (default 2; 0: no search, so no recon scores)." };
    public Option<float?> SearchRate { get; } = new("--search-lr") { Description = "gan, infogan: Adam learning rate of the latent search (default 0.05)." };
    public Option<float?> SearchFeatureWeight { get; } = new("--search-feature-weight") { Description = "gan, infogan: weight of D's feature matching in the latent search (default 0: pixels only)." };
    public Option<float?> SearchPriorWeight { get; } = new("--search-prior-weight") { Description = "gan, infogan: beta of the latent search's prior term beta ||z||^2, a MAP search (default 0: none)." };
    public Option<int?> StatisticsSamples { get; } = new("--statistics-samples") { Description = "gan, infogan: training images whose searched codes fit the class statistics (default 256)." };
    public Option<int?> EncoderEpochs { get; } = new("--encoder-epochs") { Description = "gan: the last N epochs train an f-AnoGAN encoder E with G and D frozen; the latent search starts at E(x) (default 0: none)." };
    public Option<float?> EncoderFeatureWeight { get; } = new("--encoder-feature-weight") { Description = "gan: kappa, the weight of the encoder loss's feature residual in D (default 1)." };
    public Option<float?> CycleWeight { get; } = new("--cycle-weight") { Description = "bigan: weight of the image cycle term mean (x - G(E(x)))^2 (ALICE; default 0)." };
    public Option<float?> LatentCycleWeight { get; } = new("--latent-cycle-weight") { Description = "bigan: weight of the latent cycle term mean (z - E(G(z)))^2 (ALICE; default 0)." };
    public Option<float?> PriorWeight { get; } = new("--prior-weight") { Description = "bigan: weight of the MMD between E(x) and prior draws, pulling the codes to N(0, I) (WAE-MMD; default 0)." };

    public Option<float?> DiscriminatorDropout { get; } = new("--d-dropout") { Description = "bigan: dropout probability in the joint discriminator, in training (ALAD: 0.2; default 0)." };
    public Option<float?> DiscriminatorRate { get; } = new("--d-lr") { Description = "GANs: D's own Adam learning rate (default: --lr, the same for every phase)." };

    public IReadOnlyList<Option> Options =>
        [Loss, GeneratorChannels, DiscriminatorChannels, JointWidth, Categories, ContinuousCodes, InfoWeight,
         SearchSteps, SearchRestarts, SearchRate, SearchFeatureWeight, SearchPriorWeight, StatisticsSamples,
         EncoderEpochs, EncoderFeatureWeight, CycleWeight, LatentCycleWeight, PriorWeight, DiscriminatorDropout, DiscriminatorRate];

    public ModelOptions Apply(ModelOptions options, ModelEntry entry, ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(entry);
        // every value is checked first, so that a bad value is named whatever the model
        var loss = CliChoice.Parse(parse.GetValue(Loss), "--gan-loss", "loss", ("nonsaturating", GanLoss.NonSaturating), ("hinge", GanLoss.Hinge));
        var network = CliChoice.Parse(parse.GetValue(architecture), "--arch", "architecture", ("conv", GanNetwork.Conv), ("dense", GanNetwork.Dense));
        int[]? g = Channels(parse, GeneratorChannels), d = Channels(parse, DiscriminatorChannels);
        Range(parse, JointWidth, 2, 1 << 16, "the joint discriminator's width");
        Range(parse, Categories, 0, 1024, "the categories (0: none)");
        Range(parse, ContinuousCodes, 0, 1024, "the continuous codes");
        Range(parse, SearchSteps, 0, LatentSearchOptions.MaxSteps, "the latent search's steps");
        Range(parse, SearchRestarts, 0, LatentSearchOptions.MaxRestarts, "the latent search's restarts (0: no search)");
        Range(parse, StatisticsSamples, 1, ClassStatistics.MaxSamples, "the statistics' training images");
        Range(parse, EncoderEpochs, 0, 1_000_000, "the encoder's epochs (0: no encoder)");
        float? info = parse.GetValue(InfoWeight), rate = parse.GetValue(SearchRate), feature = parse.GetValue(SearchFeatureWeight);
        foreach (var weight in new[] { EncoderFeatureWeight, CycleWeight, LatentCycleWeight, PriorWeight, SearchPriorWeight })
            if (parse.GetValue(weight) is float v && !(v >= 0f && float.IsFinite(v)))
                throw new CliException($"{weight.Name} {v}: the weight must be a finite number >= 0 (e.g. 1).");
        if (info is not null && !(info >= 0f && float.IsFinite(info.Value))) throw new CliException($"--info-weight {info}: lambda must be a finite number >= 0 (e.g. 1).");
        if (rate is not null && !(rate > 0f && float.IsFinite(rate.Value))) throw new CliException($"--search-lr {rate}: the learning rate must be a positive number (e.g. 0.05).");
        if (feature is not null && !(feature >= 0f && float.IsFinite(feature.Value))) throw new CliException($"--search-feature-weight {feature}: the weight must be a finite number >= 0 (e.g. 0.1).");
        float? dropout = parse.GetValue(DiscriminatorDropout), dRate = parse.GetValue(DiscriminatorRate);
        if (dropout is not null && !(dropout >= 0f && dropout < 1f)) throw new CliException($"--d-dropout {dropout}: the dropout probability must be in [0, 1) (e.g. 0.2).");
        if (dRate is not null && !(dRate > 0f && float.IsFinite(dRate.Value))) throw new CliException($"--d-lr {dRate}: the learning rate must be a positive number (e.g. 1e-4).");
        if (options is not GanOptions o)
        {
            foreach (var opt in Options.Where(parse.Given))
                throw OptionGroupExtensions.NotFor(opt, entry, $"the GANs ({ModelRegistry.Names(e => e is GanEntry)})");
            return options;
        }
        Only(parse, JointWidth, entry, o, "bigan", GanKind.Bigan);
        foreach (var opt in new Option[] { Categories, ContinuousCodes, InfoWeight }) Only(parse, opt, entry, o, "infogan", GanKind.Infogan);
        foreach (var opt in new Option[] { EncoderEpochs, EncoderFeatureWeight }) Only(parse, opt, entry, o, "gan", GanKind.Gan);
        foreach (var opt in new Option[] { CycleWeight, LatentCycleWeight, PriorWeight, DiscriminatorDropout }) Only(parse, opt, entry, o, "bigan", GanKind.Bigan);
        foreach (var opt in new Option[] { SearchSteps, SearchRestarts, SearchRate, SearchFeatureWeight, SearchPriorWeight, StatisticsSamples })
            Only(parse, opt, entry, o, "gan and infogan (bigan has an encoder)", GanKind.Gan, GanKind.Infogan);
        if (network == GanNetwork.Dense && o.Network != GanNetwork.Dense)
            o = o with { Network = GanNetwork.Dense, GeneratorChannels = [512, 512], DiscriminatorChannels = o.Kind == GanKind.Bigan ? [512, 512] : [512, 256] };
        else if (network is GanNetwork n) o = o with { Network = n };
        return o with
        {
            Loss = loss ?? o.Loss,
            SpectralNorm = parse.GetValue(spectralNorm) ?? o.SpectralNorm,
            GeneratorChannels = g ?? o.GeneratorChannels,
            DiscriminatorChannels = d ?? o.DiscriminatorChannels,
            JointWidth = parse.GetValue(JointWidth) ?? o.JointWidth,
            Categories = parse.GetValue(Categories) ?? o.Categories,
            ContinuousCodes = parse.GetValue(ContinuousCodes) ?? o.ContinuousCodes,
            InfoWeight = info ?? o.InfoWeight,
            StatisticsSamples = parse.GetValue(StatisticsSamples) ?? o.StatisticsSamples,
            EncoderEpochs = parse.GetValue(EncoderEpochs) ?? o.EncoderEpochs,
            EncoderFeatureWeight = parse.GetValue(EncoderFeatureWeight) ?? o.EncoderFeatureWeight,
            CycleWeight = parse.GetValue(CycleWeight) ?? o.CycleWeight,
            LatentCycleWeight = parse.GetValue(LatentCycleWeight) ?? o.LatentCycleWeight,
            PriorWeight = parse.GetValue(PriorWeight) ?? o.PriorWeight,
            DiscriminatorDropout = dropout ?? o.DiscriminatorDropout,
            DiscriminatorLearningRate = dRate ?? o.DiscriminatorLearningRate,
            Search = o.Search with
            {
                Steps = parse.GetValue(SearchSteps) ?? o.Search.Steps,
                Restarts = parse.GetValue(SearchRestarts) ?? o.Search.Restarts,
                LearningRate = rate ?? o.Search.LearningRate,
                FeatureWeight = feature ?? o.Search.FeatureWeight,
                PriorWeight = parse.GetValue(SearchPriorWeight) ?? o.Search.PriorWeight,
            },
        };
    }

    private static int[]? Channels(ParseResult parse, Option<string?> option)
    {
        string? text = parse.GetValue(option);
        if (text is null) return null;
        int[] c = text.Split(',', StringSplitOptions.TrimEntries).Select(p => int.TryParse(p, out int v) ? v : -1).ToArray();
        if (c.Length != 2 || c.Any(v => v is < 1 or > 4096))
            throw new CliException($"{option.Name} {text}: give two channel counts, 1 to 4096 each, e.g. 128,64.");
        return c;
    }

    private static void Range(ParseResult parse, Option<int?> option, int low, int high, string what)
    {
        if (parse.GetValue(option) is int v && (v < low || v > high)) throw new CliException($"{option.Name} {v}: {what} must be {low} to {high}.");
    }

    private static void Only(ParseResult parse, Option option, ModelEntry entry, GanOptions o, string names, params GanKind[] kinds)
    {
        if (parse.Given(option) && !kinds.Contains(o.Kind)) throw OptionGroupExtensions.NotFor(option, entry, names);
    }
}

// The GAN family's options: everything that defines the networks, the objective and the latent search of a gan,
// bigan or infogan model (the shared training settings are in Training). Defaults (ForKind) are the DCGAN shapes of
// ../shared/peers/ae_torch.py: G: Linear(Z, 128 (H/4) (W/4)) BN ReLU -> ConvT(128, 64, k4, s2, p1) BN ReLU ->
// ConvT(64, C, k4, s2, p1) tanh; D: Conv(C, 64, k4, s2, p1) LReLU(0.2) -> Conv(64, 128, k4, s2, p1) BN LReLU(0.2) ->
// Linear(128 (H/4) (W/4), 1); Adam(2e-4, betas (0.5, 0.999)) for both phases (Radford et al. 2016).
// Images must have H and W divisible by 4 (two stride-2 stages). Network = Dense instead lays the networks out as
// Keras-GAN's multilayer perceptrons (GanNetwork), the channel counts then being the hidden layers' widths.
using System.Globalization;
using System.Text.Json.Serialization;
using Latent.Models.Scores;

namespace Latent.Models.Gans;

/// <summary>The GAN family's options: everything that defines the networks, the objective and the latent search of a gan, bigan or infogan model (the shared training settings are in Training).</summary>
public sealed record GanOptions : TrainedModelOptions
{
    public GanKind Kind { get; init; } = GanKind.Gan;

    /// <summary>Z, the noise size (InfoGAN: the noise variables beside its Categories + ContinuousCodes codes).</summary>
    public int Latent { get; init; } = 100;

    public int Channels { get; init; } = 1;
    public int Height { get; init; } = 28;
    public int Width { get; init; } = 28;

    /// <summary>The networks' layout: the DCGAN's convolutions (the default, and every older checkpoint's) or
    /// Keras-GAN's dense layers.</summary>
    public GanNetwork Network { get; init; } = GanNetwork.Conv;

    /// <summary>G's channels after its dense layer and after its first transposed convolution (DCGAN: 128, 64); dense:
    /// its two hidden widths (Keras-GAN's BiGAN: 512, 512).</summary>
    public int[] GeneratorChannels { get; init; } = [128, 64];

    /// <summary>D's (and BiGAN's encoder's) channels after its two strided convolutions (DCGAN: 64, 128); dense: their two
    /// hidden widths (Keras-GAN's GAN D: 512, 256; its BiGAN's E: 512, 512).</summary>
    public int[] DiscriminatorChannels { get; init; } = [64, 128];

    /// <summary>BiGAN: width of the joint discriminator's hidden layer (its z path has half of it); dense: the width of
    /// its three hidden layers.</summary>
    public int JointWidth { get; init; } = 1024;

    public GanLoss Loss { get; init; } = GanLoss.NonSaturating;

    /// <summary>Spectral normalisation of every D layer (Miyato et al. 2018), which then has no batch norm.</summary>
    public bool SpectralNorm { get; init; }

    /// <summary>Adam's beta1 of both phases (DCGAN: 0.5); the learning rate is Training.LearningRate (DCGAN: 2e-4).</summary>
    public float Beta1 { get; init; } = 0.5f;

    /// <summary>InfoGAN: the categorical code's categories (0: none), the continuous codes U(-1, 1), and lambda of the
    /// mutual-information term.</summary>
    public int Categories { get; init; } = 10;
    public int ContinuousCodes { get; init; } = 2;
    public float InfoWeight { get; init; } = 1f;

    /// <summary>gan: the last EncoderEpochs of the run's epochs train an encoder E with G and D frozen (f-AnoGAN's
    /// izi_f, Schlegl et al. 2019): minimise ||x - G(E(x))||^2 / D + kappa ||f(x) - f(G(E(x)))||^2 / F, f D's last hidden
    /// features; E(x) is then where the latent search starts. 0 (the default, and every older checkpoint's): no encoder.</summary>
    public int EncoderEpochs { get; init; }

    /// <summary>gan: kappa, the weight of izi_f's feature residual (f-AnoGAN: 1).</summary>
    public float EncoderFeatureWeight { get; init; } = 1f;

    /// <summary>bigan: weight of the image cycle term mean (x - G(E(x)))^2 added to the E, G phase (ALICE's explicit
    /// reconstruction, Li et al. 2017); 0 (the default): the plain BiGAN objective.</summary>
    public float CycleWeight { get; init; }

    /// <summary>bigan: weight of the latent cycle term mean (z - E(G(z)))^2 added to the E, G phase (ALICE, ALAD's
    /// D_zz in its L2 form); 0 (the default): none.</summary>
    public float LatentCycleWeight { get; init; }

    /// <summary>bigan: weight of WAE's MMD between the encoder's codes E(x) and the step's prior draws, added to the E, G
    /// phase (Autoencoders.Mmd, Tolstikhin et al. 2018): pulls E's codes to N(0, I) when the joint D does not; 0 (the default, and
    /// every older checkpoint's): none.</summary>
    public float PriorWeight { get; init; }

    /// <summary>bigan: dropout probability in the joint discriminator's image path, code path and joint layer (ALAD's
    /// 0.2, Zenati et al. 2018), in training only (both phases; the masks come from the step's noise, so --resume stays
    /// exact); 0 (the default, and every older checkpoint's): no dropout.</summary>
    public float DiscriminatorDropout { get; init; }

    /// <summary>D's own Adam learning rate (a slower D, TTUR-style, Heusel et al. 2017); 0 (the default): the run's
    /// Training.LearningRate for every phase.</summary>
    public float DiscriminatorLearningRate { get; init; }

    /// <summary>How codes are found for the scores of the kinds without an encoder (gan, infogan's noise).</summary>
    public LatentSearchOptions Search { get; init; } = new();

    /// <summary>Training images (evenly spaced) whose codes the class statistics are fitted on after the last epoch.</summary>
    public int StatisticsSamples { get; init; } = 256;

    /// <summary>The largest image (C H W values) the dense layout takes: its first layer has C H W x width weights.</summary>
    public const int MaxDenseInputs = 1 << 18;

    public override string ModelName => Kind.ToString().ToLowerInvariant();
    public override int? LatentSize => Latent;
    public override ImageShape? InputShape => new ImageShape(Channels, Height, Width);

    [JsonIgnore]
    public ImageShape Shape => new(Channels, Height, Width);

    /// <summary>The code size G takes: Z, plus InfoGAN's codes.</summary>
    [JsonIgnore]
    public int CodeSize => Latent + (Kind == GanKind.Infogan ? Categories + ContinuousCodes : 0);

    /// <summary>The defaults of one kind at one latent size for images of a shape.</summary>
    public static GanOptions ForKind(GanKind kind, int latent, ImageShape shape) => new()
    {
        Kind = kind,
        Latent = latent,
        Channels = shape.Channels,
        Height = shape.Height,
        Width = shape.Width,
        Training = new Training.TrainingOptions { LearningRate = 2e-4f },
    };

    public override IEnumerable<KeyValuePair<string, string>> Settings(int members = 1)
    {
        var parts = new List<string>
        {
            $"{(Network == GanNetwork.Dense ? "dense, " : "")}G {string.Join("-", GeneratorChannels)}, {(Kind != GanKind.Bigan ? "D" : Network == GanNetwork.Dense ? "E" : "D and E")} {string.Join("-", DiscriminatorChannels)}",
            Loss == GanLoss.Hinge ? "hinge loss" : "non-saturating loss",
        };
        if (SpectralNorm) parts.Add("spectral norm");
        if (Kind == GanKind.Bigan) parts.Add($"joint width {JointWidth}");
        if (Kind == GanKind.Bigan && (CycleWeight > 0 || LatentCycleWeight > 0))
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"cycle weights x {CycleWeight:G3}, z {LatentCycleWeight:G3}"));
        if (PriorWeight > 0) parts.Add(string.Create(CultureInfo.InvariantCulture, $"prior MMD weight {PriorWeight:G3}"));
        if (DiscriminatorDropout > 0) parts.Add(string.Create(CultureInfo.InvariantCulture, $"D dropout {DiscriminatorDropout:G3}"));
        if (DiscriminatorLearningRate > 0) parts.Add(string.Create(CultureInfo.InvariantCulture, $"D lr {DiscriminatorLearningRate:G3}"));
        if (EncoderEpochs > 0)
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"f-AnoGAN encoder in the last {EncoderEpochs} epochs, kappa {EncoderFeatureWeight:G3}"));
        if (Kind == GanKind.Infogan)
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"codes {Categories} categories + {ContinuousCodes} continuous, lambda {InfoWeight:G3}"));
        var list = new List<KeyValuePair<string, string>> { new("training", Training.Describe(members)), new("network", string.Join(", ", parts)) };
        if (Kind != GanKind.Bigan) list.Add(new("latent search", Search.ToString()));
        return list;
    }

    public override void Validate()
    {
        if (!Enum.IsDefined(Kind)) throw new ArgumentException($"GAN kind {(int)Kind} is unknown; use gan, bigan or infogan.");
        if (Training is null) throw new ArgumentException("the training options are missing.");
        Training.Validate();
        if (Latent < 1 || Latent > 1 << 16) throw new ArgumentException($"latent size {Latent} must be 1 to 65536.");
        if (!Enum.IsDefined(Network)) throw new ArgumentException($"GAN network layout {(int)Network} is unknown; use conv or dense.");
        if (Network == GanNetwork.Conv
            && (Channels < 1 || Channels > 64 || Height < 4 || Width < 4 || Height > 4096 || Width > 4096 || Height % 4 != 0 || Width % 4 != 0))
            throw new ArgumentException($"the GAN's convolutional networks take 1 to 64 channels and a height and width divisible by 4 (two stride-2 stages), not {Shape}; --arch dense takes any size.");
        if (Network == GanNetwork.Dense && (Channels < 1 || Height < 1 || Width < 1 || (long)Channels * Height * Width > MaxDenseInputs))
            throw new ArgumentException($"the GAN's dense networks take images of 1 to {MaxDenseInputs} values, not {Shape}.");
        if (GeneratorChannels is not { Length: 2 } || DiscriminatorChannels is not { Length: 2 }
            || GeneratorChannels.Concat(DiscriminatorChannels).Any(c => c < 1 || c > 4096))
            throw new ArgumentException("the generator and discriminator channels must be two sizes each, 1 to 4096 (e.g. 128,64 and 64,128).");
        if (JointWidth < 2 || JointWidth > 1 << 16) throw new ArgumentException($"joint discriminator width {JointWidth} must be 2 to 65536.");
        if (!Enum.IsDefined(Loss)) throw new ArgumentException($"GAN loss {(int)Loss} is unknown; use nonsaturating or hinge.");
        if (!(Beta1 >= 0f && Beta1 < 1f)) throw new ArgumentException($"beta1 {Beta1} must be in [0, 1).");
        if (Categories < 0 || Categories > 1024 || ContinuousCodes < 0 || ContinuousCodes > 1024)
            throw new ArgumentException($"InfoGAN codes: {Categories} categories and {ContinuousCodes} continuous codes must each be 0 to 1024.");
        if (Kind == GanKind.Infogan && Categories + ContinuousCodes == 0) throw new ArgumentException("an InfoGAN needs at least one code (categories or continuous codes).");
        if (Kind == GanKind.Infogan && Categories == 1) throw new ArgumentException("a categorical code needs at least 2 categories (0: none).");
        if (!(InfoWeight >= 0f) || !float.IsFinite(InfoWeight)) throw new ArgumentException($"InfoGAN's lambda {InfoWeight} must be a finite number >= 0.");
        if (EncoderEpochs < 0 || EncoderEpochs > 1_000_000) throw new ArgumentException($"encoder epochs {EncoderEpochs} must be 0 to 1000000.");
        if (EncoderEpochs > 0 && Kind != GanKind.Gan) throw new ArgumentException($"encoder epochs (f-AnoGAN) are for the gan model, not {ModelName}.");
        if (EncoderEpochs > 0 && EncoderEpochs >= Training.Epochs)
            throw new ArgumentException($"encoder epochs {EncoderEpochs} leave no GAN epochs of the run's {Training.Epochs}: give fewer encoder epochs or more --epochs.");
        if (!(EncoderFeatureWeight >= 0f) || !float.IsFinite(EncoderFeatureWeight)) throw new ArgumentException($"encoder feature weight {EncoderFeatureWeight} must be a finite number >= 0.");
        if (!(CycleWeight >= 0f) || !float.IsFinite(CycleWeight) || !(LatentCycleWeight >= 0f) || !float.IsFinite(LatentCycleWeight))
            throw new ArgumentException($"cycle weights {CycleWeight} (x) and {LatentCycleWeight} (z) must be finite numbers >= 0.");
        if ((CycleWeight > 0 || LatentCycleWeight > 0) && Kind != GanKind.Bigan) throw new ArgumentException($"cycle weights are for the bigan model, not {ModelName}.");
        if (!(PriorWeight >= 0f) || !float.IsFinite(PriorWeight)) throw new ArgumentException($"prior MMD weight {PriorWeight} must be a finite number >= 0.");
        if (PriorWeight > 0 && Kind != GanKind.Bigan) throw new ArgumentException($"the prior MMD weight is for the bigan model's encoder, not {ModelName}.");
        if (!(DiscriminatorDropout >= 0f && DiscriminatorDropout < 1f)) throw new ArgumentException($"discriminator dropout {DiscriminatorDropout} must be a probability in [0, 1).");
        if (DiscriminatorDropout > 0 && Kind != GanKind.Bigan) throw new ArgumentException($"discriminator dropout is for the bigan model's joint discriminator, not {ModelName}.");
        if (!(DiscriminatorLearningRate >= 0f) || !float.IsFinite(DiscriminatorLearningRate))
            throw new ArgumentException($"discriminator learning rate {DiscriminatorLearningRate} must be a finite number >= 0 (0: the run's learning rate).");
        if (Search is null) throw new ArgumentException("the latent search options are missing.");
        Search.Validate();
        if (StatisticsSamples < 1 || StatisticsSamples > ClassStatistics.MaxSamples)
            throw new ArgumentException($"statistics samples {StatisticsSamples} must be 1 to {ClassStatistics.MaxSamples}.");
    }
}

// The registry is the one list of kinds: every kind goes through fit (train), save, load and score on the committed
// subset with identical scores after the round trip; names are unique; a checkpoint type finds its entry; a misspelt
// kind gets a suggestion.
using Latent.Models;
using Latent.Models.Autoencoders;
using Latent.Models.Networks;

namespace Latent.Tests.Models.Registry;

public class RegistryTests
{
    public static TheoryData<string> Kinds() => [.. ModelRegistry.Entries.Select(e => e.Name)];

    [Theory]
    [MemberData(nameof(Kinds))]
    public void EveryKindFitsSavesLoadsAndScoresIdentically(string name)
    {
        var entry = ModelRegistry.Get(name);
        var train = Autoencoders.AutoencoderTestData.Threes();
        var test = Autoencoders.AutoencoderTestData.Fives();
        if (entry is Latent.Models.SelfSupervised.GeomEntry)   // its quarter turns need square images
            (train, test) = (SelfSupervised.GeomTests.Images(train), SelfSupervised.GeomTests.Images(test));
        var options = Small(entry.Adapt(entry.Defaults(entry.HasLatent ? 3 : null, train.Shape), entry.HasLatent ? 3 : null, train.Shape));
        var model = Assert.Single(entry.Fit(train, [new FitItem(options)], FitContext.None));
        Assert.Equal(entry.Scores(options).Select(s => s.Name), model.Scores.Select(s => s.Name));
        var before = model.Score(test);

        using var dir = new TempDir();
        string path = dir.File(name + ".safetensors");
        ModelFile.Save(path, entry, model, entry.IsTrained ? 1 : 0);
        var loaded = ModelFile.Load(path);
        Assert.Same(entry, loaded.Entry);
        Assert.Equal(entry.IsTrained ? 1 : 0, loaded.Epoch);
        Assert.Equal(options.InputShape ?? train.Shape, loaded.Options.InputShape);
        var after = loaded.Model.Score(test);
        foreach (var s in model.Scores)
            Assert.Equal(before[s.Name], after[s.Name]);
    }

    /// <summary>Tiny trained models (dense, 1 epoch) so the walk stays fast.</summary>
    internal static ModelOptions Small(ModelOptions o) => o switch
    {
        AutoencoderOptions a => a with
        {
            Network = a.Network with { Kind = NetworkKind.Dense, DenseWidths = [16] },
            DiscriminatorWidth = 8,
            Training = a.Training with { Epochs = 1, BatchSize = 50 },
        },
        Latent.Models.Gans.GanOptions g => Gans.GanTestData.Tiny(g),
        Latent.Models.Autoregressive.PixelCnnOptions p => Autoregressive.PixelCnnTests.Tiny(p.Channels, p.Height, p.Width) with { Training = p.Training with { Epochs = 1, BatchSize = 50 } },
        Latent.Models.Flows.FlowOptions f => f with
        {
            Hidden = 8, Scales = 0, Couplings = 1, Blocks = f.Kind == Latent.Models.Flows.FlowKind.Maf ? 2 : 1,
            Training = f.Training with { Epochs = 1, BatchSize = 50 },
        },
        Latent.Models.SelfSupervised.GeomOptions g => g with { Hidden = 4, Training = g.Training with { Epochs = 1, BatchSize = 50 } },
        _ => o,
    };

    [Fact]
    public void NamesAndCheckpointTypesAreUniqueAndFindTheirEntries()
    {
        Assert.Equal(ModelRegistry.Entries.Count, ModelRegistry.Entries.Select(e => e.Name).Distinct().Count());
        foreach (var e in ModelRegistry.Entries)
        {
            Assert.Same(e, ModelRegistry.ForCheckpointType(e.CheckpointType));
            Assert.Same(e, ModelRegistry.Get(e.Name.ToUpperInvariant()));
            Assert.Equal(e.IsTrained, e.Defaults(e.HasLatent ? 2 : null, ImageShape.Gray(28, 28)) is TrainedModelOptions);
        }
        Assert.Equal("latent.autoencoder.vae", ModelRegistry.Get("vae").CheckpointType);   // the type written since session 1
    }

    [Fact]
    public void AnUnknownKindIsAnErrorWithASuggestion()
    {
        var e = Assert.Throws<ArgumentException>(() => ModelRegistry.Get("vea"));
        Assert.Contains("unknown model 'vea' (did you mean 'vae'?)", e.Message, StringComparison.Ordinal);
        Assert.Contains("pca, gaussian, knn, ae, dae, vae, aae, wae", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("did you mean", Assert.Throws<ArgumentException>(() => ModelRegistry.Get("flowmodel")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ScoresComeFromCapabilities()
    {
        var shape = ImageShape.Gray(28, 28);
        string Names(string kind) => string.Join(",", ModelRegistry.Get(kind).Scores(ModelRegistry.Get(kind).Defaults(4, shape)).Select(s => s.Name));
        Assert.Equal("recon,recon-bce,latent-nll,latent-nll-fit,combined,jacobian,density-x", Names("ae"));
        Assert.Equal("recon,recon-bce,latent-nll,latent-nll-fit,combined,jacobian,density-x,elbo", Names("vae"));
        Assert.Equal(Names("ae"), Names("aae"));
        var gaussian = (AutoencoderOptions)ModelRegistry.Get("vae").Defaults(4, shape) with { Likelihood = DecoderLikelihood.Gaussian, IwaeSamples = 8 };
        Assert.Equal("recon,latent-nll,latent-nll-fit,combined,jacobian,density-x,elbo,iwae-8",
            string.Join(",", ModelRegistry.Get("vae").Scores(gaussian).Select(s => s.Name)));
    }
}

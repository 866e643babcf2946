// Ensembles of class models: every score is the members' mean; members must agree on model, latent size and scores;
// the catalog's ensemble of K deep models equals K single models trained with seeds s .. s + K - 1, averaged, and
// the catalog lists each member (named by its seed) before the ensemble.
using Latent.Models;
using Latent.Models.Autoencoders;
using Latent.Models.Evaluation;
using Latent.Models.Networks;

namespace Latent.Tests.Models;

public class ClassModelEnsembleTests
{
    private sealed class Fixed(string name, int? latent, params (string Score, double[] Values)[] scores) : IClassModel
    {
        public string Name => name;
        public int? Latent => latent;
        public IReadOnlyList<ScoreInfo> Scores => [.. scores.Select(s => new ScoreInfo(s.Score, "f", "u"))];
        public IReadOnlyDictionary<string, double[]> Score(Samples x) => scores.ToDictionary(s => s.Score, s => s.Values.ToArray());
    }

    private static readonly Samples Two = new(new float[4], 2, 2);

    [Fact]
    public void EveryScoreIsTheMembersMean()
    {
        var e = new ClassModelEnsemble([
            new Fixed("vae", 20, ("recon", [1, 10]), ("kl", [0, 3])),
            new Fixed("vae", 20, ("recon", [3, 20]), ("kl", [6, 3])),
            new Fixed("vae", 20, ("recon", [5, 0]), ("kl", [3, 3])),
        ]);
        Assert.Equal("vae-ens3", e.Name);
        Assert.Equal(20, e.Latent);
        var s = e.Score(Two);
        Assert.Equal([3.0, 10.0], s["recon"]);
        Assert.Equal([3.0, 3.0], s["kl"]);
    }

    [Fact]
    public void MembersMustAgree()
    {
        Assert.Contains("at least 2 members", Assert.Throws<ArgumentException>(() => new ClassModelEnsemble([new Fixed("vae", 20)])).Message, StringComparison.Ordinal);
        Assert.Contains("one latent size", Assert.Throws<ArgumentException>(() =>
            new ClassModelEnsemble([new Fixed("vae", 20), new Fixed("vae", 10)])).Message, StringComparison.Ordinal);
        Assert.Contains("the same scores", Assert.Throws<ArgumentException>(() =>
            new ClassModelEnsemble([new Fixed("vae", 20, ("recon", [1])), new Fixed("vae", 20, ("kl", [1]))])).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheCatalogsEnsembleAveragesModelsTrainedWithConsecutiveSeeds()
    {
        var train = Autoencoders.AutoencoderTestData.Threes();
        var test = Autoencoders.AutoencoderTestData.Fives();
        var entry = ModelRegistry.Get("vae");
        var options = (AutoencoderOptions)entry.Defaults(3, train.Shape);
        options = options with { Network = options.Network with { Kind = NetworkKind.Dense }, Training = options.Training with { Epochs = 2, Seed = 7, BatchSize = 10 } };
        var o = new ClassModelRequest { Model = entry, Options = options, Latents = [3], Scores = ["recon", "latent-nll"] };
        var fitted = ClassModelProtocol.Fit(o with { Ensemble = 2 }, train);
        Assert.Equal(["vae-s7", "vae-s8", "vae-ens2"], fitted.Select(m => m.Name));
        var ens = fitted[2];
        var a = Assert.Single(ClassModelProtocol.Fit(o, train)).Score(test);
        var b = Assert.Single(ClassModelProtocol.Fit(o with { Options = options with { Training = options.Training with { Seed = 8 } } }, train)).Score(test);
        Assert.Equal(a["recon"], fitted[0].Score(test)["recon"]);
        Assert.Equal(b["recon"], fitted[1].Score(test)["recon"]);
        var e = ens.Score(test);
        foreach (string s in new[] { "recon", "latent-nll" })
        {
            Assert.NotEqual(a[s], b[s]);
            for (int i = 0; i < test.Count; i++) Assert.Equal((a[s][i] + b[s][i]) / 2, e[s][i], 9);
        }
        Assert.Throws<ArgumentException>(() => ClassModelProtocol.Run(o with { Ensemble = 0, RealClass = 0 },
            new LabelledSamples(train, new int[train.Count], ["3"], "t"), new LabelledSamples(test, new int[test.Count], ["3"], "t")));
    }
}

// ClassModel, the typed fit / score / decide API: every registry kind fits from its options record, saves, loads and
// scores identically; a score computed alone equals the same score computed with all the others; decisions follow
// score > threshold; and every bad input is a one-line ArgumentException naming what to do.
using Latent.Models;
using Latent.Models.Classical;

namespace Latent.Tests.Models;

public class ClassModelTests
{
    private static readonly Samples Threes = Images(Autoencoders.AutoencoderTestData.Threes());
    private static readonly Samples Fives = Images(Autoencoders.AutoencoderTestData.Fives());

    private static Samples Images(Samples flat) => new(flat.X, flat.Count, ImageShape.Gray(28, 28));

    public static TheoryData<string> Kinds() => [.. ModelRegistry.Entries.Select(e => e.Name)];

    [Theory]
    [MemberData(nameof(Kinds))]
    public void EveryKindFitsScoresSavesAndLoads(string name)
    {
        var kind = ModelRegistry.Get(name);
        int? latent = kind.HasLatent ? 3 : null;
        var options = Registry.RegistryTests.Small(kind.Defaults(latent, Threes.Shape));
        var model = ClassModel.Fit(options, Threes, calibration: 0.3);
        Assert.Same(kind, model.Kind);
        Assert.Equal(latent, model.Latent);
        Assert.Equal(kind.IsTrained ? 1 : 0, model.Epochs);
        Assert.NotNull(model.Calibration);
        var all = model.Scorer.Score(Fives);

        using var dir = new TempDir();
        string path = dir.File(name + ".safetensors");
        model.Save(path);
        var loaded = ClassModel.Load(path);
        Assert.Same(kind, loaded.Kind);
        Assert.Equal(model.Epochs, loaded.Epochs);
        foreach (var info in model.Scores)
        {
            var s = model.Score(Fives, info);
            Assert.Equal(info.Name, s.Score);
            Assert.Equal(all[info.Name], s.Values);
            Assert.Equal(s.Values, loaded.Score(Fives, info.Name).Values);
            double t = model.Threshold(info.Name, 0.5);
            Assert.Equal(loaded.Threshold(info.Name, 0.5), t);
            Assert.Equal(s.Values.Select(v => v > t), model.Decide(s, t));
        }
    }

    [Fact]
    public void FitByKindUsesTheKindsDefaults()
    {
        var model = ClassModel.Fit(ModelRegistry.Get("pca"), Threes, latent: 5);
        Assert.Equal(5, model.Latent);
        Assert.Equal(new PcaOptions { Latent = 5, Input = Threes.Shape }, model.Options);
        Assert.Null(model.Calibration);
    }

    [Fact]
    public void DecideIsScoreAboveThreshold()
    {
        var model = ClassModel.Fit(new GaussianOptions(), Threes);
        var s = new NoveltyScores("nll", [1, 2, 3]);
        AssertError(() => model.Decide(s with { Score = "recon" }, 2), "'recon' is not a score of model 'gaussian'");
        Assert.Equal([false, false, true], model.Decide(s, 2));
        Assert.Equal([true, true, true], model.Decide(s, double.NegativeInfinity));
    }

    [Fact]
    public void BadInputsAreOneLineArgumentErrors()
    {
        var pca = ClassModel.Fit(new PcaOptions { Latent = 3 }, Threes);
        AssertError(() => pca.Score(Fives, "recno"), "has no score 'recno' (did you mean 'recon'?)");
        AssertError(() => pca.Threshold("recon", 0.05), "has no calibration scores");
        AssertError(() => pca.PValues(new NoveltyScores("recon", [1])), "has no calibration scores");
        AssertError(() => pca.Decide(new NoveltyScores("recon", [1]), double.NaN), "threshold is NaN");
        AssertError(() => pca.Score(new Samples(new float[2 * 49], 2, ImageShape.Gray(7, 7)), "recon"), "takes 28x28 images; these are 7x7");
        AssertError(() => ClassModel.Fit(new PcaOptions(), Threes, calibration: 1.5), "not strictly between 0 and 1");
        AssertError(() => ClassModel.Fit(new PcaOptions(), Threes.Slice(0, 1)), "at least 2 images");
        AssertError(() => ClassModel.Fit(new PcaOptions { Latent = 784 }, Threes), "latent size 784 is out of range");
        AssertError(() => ClassModel.Fit(ModelRegistry.Get("vae"), Threes), "needs a latent size");
        AssertError(() => ClassModel.Fit(ModelRegistry.Get("knn"), Threes, latent: 3), "has no latent size");
        var nan = Threes.X.ToArray();
        nan[5] = float.NaN;
        AssertError(() => ClassModel.Fit(new PcaOptions(), new Samples(nan, Threes.Count, Threes.Shape)), "NaN value");
        var calibrated = ClassModel.Fit(new PcaOptions { Latent = 3 }, Threes, calibration: 0.2);
        AssertError(() => calibrated.Threshold("recon", 0.001), "cannot be certified");
    }

    private static void AssertError(Action act, string expected)
    {
        var e = Assert.ThrowsAny<ArgumentException>(act);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }
}

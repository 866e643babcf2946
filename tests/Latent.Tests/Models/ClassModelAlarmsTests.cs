// The class-modelling protocol reports the training alarms of every trained model it fits, also when the model sits
// inside an invariance wrapper (--preprocess, --tta): before, only a bare model's alarms reached the run (and so the
// report and --json), and a collapsed VAE fitted on deskewed images said nothing. An ensemble's members are models
// of the run and report their own alarms, the ensemble none of its own.
using Latent.Cli;
using Latent.Models;
using Latent.Models.Autoencoders;
using Latent.Models.Evaluation;
using Latent.Models.Invariance;
using Latent.Models.Networks;

namespace Latent.Tests.Models;

public class ClassModelAlarmsTests
{
    // A VAE whose beta of 1,000 collapses its posterior within a few epochs (AutoencoderAlarmTests).
    private static ClassModelRun Run(ImageInvariance? invariance, int ensemble)
    {
        var d = TestData.Subset;
        var (train, test) = (ClassModelCommand.Labelled(TestData.SubsetTrain, d), ClassModelCommand.Labelled(TestData.SubsetTest, d));
        var entry = ModelRegistry.Get("vae");
        var o = (AutoencoderOptions)entry.Defaults(4, train.X.Shape);
        o = o with
        {
            Beta = 1000f, Invariance = invariance,
            Network = o.Network with { Kind = NetworkKind.Dense },
            Training = o.Training with { Epochs = 6, BatchSize = 10, Seed = 1 },
        };
        return ClassModelProtocol.Run(new ClassModelRequest
        {
            Model = entry, Options = o, Latents = [4], RealClass = 3, FakeClasses = [5], Scores = ["recon"], Ensemble = ensemble,
        }, train, test);
    }

    [Theory]
    [InlineData(Preprocess.None, 1)]
    [InlineData(Preprocess.Deskew, 1)]
    [InlineData(Preprocess.Deskew, 2)]
    public void ACollapsedVaeIsReportedWhateverWrapsIt(Preprocess preprocess, int ensemble)
    {
        var run = Run(preprocess == Preprocess.None ? null : new ImageInvariance { Preprocess = preprocess }, ensemble);
        var collapse = run.Alarms.Where(a => a.Alarm.StartsWith("posterior collapse", StringComparison.Ordinal)).ToList();
        Assert.Equal(ensemble, collapse.Count);
        Assert.Equal(ensemble == 1 ? ["vae k=4"] : ["vae-s1 k=4", "vae-s2 k=4"], collapse.Select(a => a.Model));
    }
}

public class ExplanationReferenceTests
{
    // image i is filled with the value i, so a selection shows which images it took
    private static Samples Images(int n) => new(Enumerable.Range(0, n * 784).Select(j => (float)(j / 784)).ToArray(), n, ImageShape.Gray(28, 28));

    [Fact]
    public void AGeneratorWithoutAnEncoderGetsEvenlySpacedReferenceImagesAlsoWhenPreprocessed()
    {
        var train = Images(ClassModelProtocol.SearchedReference * 3 + 1);
        var gan = new Latent.Models.Scores.GenerativeScores(new Latent.Models.Gans.GanModel(Gans.GanTestData.Tiny(Latent.Models.Gans.GanKind.Gan)));
        var deskewed = new InvariantModel(gan, new ImageInvariance { Preprocess = Preprocess.Deskew });
        foreach (var m in new IClassModel[] { gan, deskewed })
        {
            var r = ClassModelProtocol.ExplanationReference(m, train);
            Assert.Equal(Enumerable.Range(0, ClassModelProtocol.SearchedReference).Select(k => (float)(k * train.Count / ClassModelProtocol.SearchedReference)),
                Enumerable.Range(0, r.Count).Select(k => r.Row(k)[0]));
        }
        // a model that encodes in one pass keeps every training image, and so does a small training set
        var bigan = new Latent.Models.Scores.GenerativeScores(new Latent.Models.Gans.BiganModel(Gans.GanTestData.Tiny(Latent.Models.Gans.GanKind.Bigan)));
        Assert.Same(train.X, ClassModelProtocol.ExplanationReference(new InvariantModel(bigan, new ImageInvariance { Preprocess = Preprocess.Deskew }), train).X);
        var few = Images(ClassModelProtocol.SearchedReference);
        Assert.Same(few.X, ClassModelProtocol.ExplanationReference(deskewed, few).X);
    }
}

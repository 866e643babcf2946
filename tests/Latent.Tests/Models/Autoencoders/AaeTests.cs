// The adversarial autoencoder's phase balance: each phase steps with its own Adam settings (LearningRate,
// DiscriminatorLearningRate, RegularisationLearningRate, AdversarialBeta1), and with the defaults a short run on the
// committed subset matches the prior N(0, I) in eval mode (the mode every score uses), where the old balance (every
// phase at the reconstruction's Adam(1e-3, 0.9)) leaves the codes off it.
using Latent.Models;
using Latent.Models.Autoencoders;
using Latent.Models.Networks;
using Latent.Tensors;
using Latent.Models.Training;

namespace Latent.Tests.Models.Autoencoders;

public class AaeTests
{
    [Theory]
    [InlineData(1f)]
    [InlineData(0.5f)]
    public void FirstStepMovesEachPhasesWeightsByItsOwnLearningRate(float scale)
    {
        // Adam's first step is lr * sign(g) (mHat / sqrt(vHat) = +-1), so each weight's move names the phase's rate;
        // the learning-rate schedule's scale multiplies each phase's own rate.
        var o = AutoencoderTestData.Dense(AutoencoderKind.Aae).WithTraining(t => t with { LearningRate = 1e-3f }) with
        {
            DiscriminatorLearningRate = 3e-4f, RegularisationLearningRate = 1e-5f,
        };
        var aae = (Aae)AutoencoderModel.Create(o);
        var disc = Snapshot(aae.Discriminator.Parameters());
        var dec = Snapshot(aae.Decoder.Parameters());
        var enc = Snapshot(aae.Encoder.Parameters());
        aae.Train();
        aae.LearningRateScale = scale;
        aae.TrainStep(Batch(AutoencoderTestData.Threes(), 10), new Rng(3));

        // discriminator: phase (2) only
        Assert.InRange(MaxMove(aae.Discriminator.Parameters(), disc), 0.99 * 3e-4 * scale, 1.01 * 3e-4 * scale);
        // decoder: phase (1) only
        Assert.InRange(MaxMove(aae.Decoder.Parameters(), dec), 0.99e-3 * scale, 1.01e-3 * scale);
        // encoder: phase (1) then phase (3), 1e-3 +- 1e-5 per weight; the largest move has both steps in one direction
        Assert.InRange(MaxMove(aae.Encoder.Parameters(), enc), 1.005e-3 * scale, 1.015e-3 * scale);
    }

    [Fact]
    public void DefaultsAreGanPracticeForTheAdversarialPhases()
    {
        var o = AutoencoderOptions.ForKind(AutoencoderKind.Aae, 10);
        Assert.Equal(1e-3f, o.Training.LearningRate);
        Assert.Equal(1e-3f, o.DiscriminatorLearningRate);
        Assert.Equal(2e-4f, o.RegularisationLearningRate);
        Assert.Equal(0.5f, o.AdversarialBeta1);
        var entry = ModelRegistry.Get("aae");
        var back = (AutoencoderOptions)entry.ReadOptions(entry.WriteOptions(o), "test");
        Assert.Equal(o, back with { Network = o.Network });
    }

    [Theory]
    [InlineData(0f, 2e-4f, 0.5f, "discriminator learning rate")]
    [InlineData(1e-3f, float.NaN, 0.5f, "regularisation learning rate")]
    [InlineData(1e-3f, -1f, 0.5f, "regularisation learning rate")]
    [InlineData(1e-3f, 2e-4f, 1f, "adversarial beta1")]
    [InlineData(1e-3f, 2e-4f, -0.1f, "adversarial beta1")]
    public void BadAdversarialSettingsAreRefusedByName(float discLr, float regLr, float beta1, string named)
    {
        var o = AutoencoderTestData.Dense(AutoencoderKind.Aae) with
        {
            DiscriminatorLearningRate = discLr, RegularisationLearningRate = regLr, AdversarialBeta1 = beta1,
        };
        var e = Assert.Throws<ArgumentException>(o.Validate);
        Assert.Contains(named, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ShortRunMatchesThePriorInEvalMode()
    {
        var (mean, var) = EvalCodeMoments(AaeOn300());
        Assert.All(mean, m => Assert.InRange(m, -0.2, 0.2));
        Assert.All(var, v => Assert.InRange(v, 0.7, 1.3));
    }

    [Fact]
    public void TheOldBalanceMissesThePriorOnTheSameRun()
    {
        // every phase at Adam(1e-3, 0.9): the test above must fail for this setting, or it proves nothing
        var (mean, var) = EvalCodeMoments(AaeOn300(o => o with
        {
            DiscriminatorLearningRate = o.Training.LearningRate, RegularisationLearningRate = o.Training.LearningRate, AdversarialBeta1 = 0.9f,
        }));
        double worstMean = mean.Max(Math.Abs), worstVar = var.Max(v => Math.Abs(v - 1));
        Assert.True(worstMean > 0.2 || worstVar > 0.3, $"worst |mean| {worstMean:F3}, worst |var - 1| {worstVar:F3}");
    }

    [Fact]
    public void BatchNormCodesAgreeBetweenTrainAndEvalModeAfterTraining()
    {
        // the discriminator judges training-mode codes (batch statistics), the scores eval-mode ones (running
        // statistics): after training they must describe the same distribution. This guards the batch-norm side
        // (running statistics tracked through all three phases); it holds under the old phase balance too.
        var o = AutoencoderTestData.TinyConv(AutoencoderKind.Aae, latent: 2, batchNorm: true).WithTraining(t => t with { BatchSize = 50, LearningRate = 3e-3f });
        var aae = AutoencoderModel.Create(o);
        var data = AllSubset();
        new Trainer(aae).Train(data, 0, 8);
        var (evalMean, evalVar) = CodeMoments(aae, data, train: false);
        var (trainMean, trainVar) = CodeMoments(aae, data, train: true);
        for (int j = 0; j < evalMean.Length; j++)
        {
            Assert.InRange(evalMean[j] - trainMean[j], -0.25, 0.25);
            Assert.InRange(evalVar[j] / trainVar[j], 0.6, 1.6);
        }
    }

    private static AutoencoderModel AaeOn300(Func<AutoencoderOptions, AutoencoderOptions>? change = null)
    {
        var o = AutoencoderTestData.Dense(AutoencoderKind.Aae, latent: 2) with
        {
            // batch norm, as the seed's (and the default) AAE; without it the phases need another balance
            Network = new NetworkOptions { Kind = NetworkKind.Dense, Latent = 2, DenseWidths = [64], BatchNorm = true },
            DiscriminatorWidth = 32,
            Training = new TrainingOptions { BatchSize = 50 },
        };
        var aae = AutoencoderModel.Create(change is null ? o : change(o));
        new Trainer(aae).Train(AllSubset(), 0, 40);
        return aae;
    }

    private static Samples AllSubset()
    {
        var s = TestData.SubsetTrain;
        return new Samples(s.Pixels, s.Count, s.Dim);
    }

    private static (double[] Mean, double[] Var) EvalCodeMoments(AutoencoderModel m) => CodeMoments(m, AllSubset(), train: false);

    private static (double[] Mean, double[] Var) CodeMoments(AutoencoderModel m, Samples data, bool train)
    {
        if (train) m.Train(); else m.Eval();
        Tensor z;
        using (GradMode.Disable()) z = m.Encode(Batch(data, data.Count));          // (N, Z)
        m.Eval();
        int n = z.Dim(0), k = z.Dim(1);
        var mean = new double[k];
        var var = new double[k];
        ReadOnlySpan<float> c = z.Data;
        for (int j = 0; j < k; j++)
        {
            double s = 0, q = 0;
            for (int i = 0; i < n; i++) { s += c[i * k + j]; q += (double)c[i * k + j] * c[i * k + j]; }
            mean[j] = s / n;
            var[j] = q / n - mean[j] * mean[j];
        }
        return (mean, var);
    }

    private static Tensor Batch(Samples s, int n)
    {
        var x = new Tensor(n, 1, 28, 28);
        s.X.AsSpan(0, n * s.Dim).CopyTo(x.Data);
        return x;
    }

    private static float[][] Snapshot(IEnumerable<Tensor> ps) => ps.Select(p => p.Data.ToArray()).ToArray();

    private static double MaxMove(IEnumerable<Tensor> ps, float[][] before) =>
        ps.Select((p, i) => p.Data.ToArray().Zip(before[i], (a, b) => (double)Math.Abs(a - b)).Max()).Max();
}

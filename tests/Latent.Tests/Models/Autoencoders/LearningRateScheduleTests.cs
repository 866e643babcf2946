// The learning-rate schedule: the cosine curve's values, the scale reaching every optimiser of a model (an Adam
// step at scale s moves each weight s times as far as at scale 1, and not at all at 0), the trainer applying it
// per step, and the schedule stored with the model.
using Latent.Models.Autoencoders;
using Latent.Tensors;
using Latent.Models;
using Latent.Models.Training;

namespace Latent.Tests.Models.Autoencoders;

public class LearningRateScheduleTests
{
    [Fact]
    public void CosineGoesFromOneToZeroThroughAHalf()
    {
        Assert.Equal(1f, LrSchedules.Scale(LrSchedule.Constant, 77, 100));
        Assert.Equal(1f, LrSchedules.Scale(LrSchedule.Cosine, 0, 100));
        Assert.Equal(0.5f, LrSchedules.Scale(LrSchedule.Cosine, 50, 100), 6);
        Assert.Equal(0f, LrSchedules.Scale(LrSchedule.Cosine, 100, 100), 6);
        Assert.Equal((float)(0.5 * (1 + Math.Cos(Math.PI * 0.25))), LrSchedules.Scale(LrSchedule.Cosine, 25, 100), 6);
        float previous = 2f;
        for (int t = 0; t < 100; t++)
        {
            float s = LrSchedules.Scale(LrSchedule.Cosine, t, 100);
            Assert.True(s < previous, $"step {t}: {s} does not fall below {previous}");
            previous = s;
        }
    }

    [Fact]
    public void AnAdamStepMovesInProportionToTheScale()
    {
        // The VAE's single Adam step: each weight moves by about lr * sign(g), so the move is proportional to the scale.
        float[] full = FirstStepMoves(AutoencoderKind.Vae, 1f), half = FirstStepMoves(AutoencoderKind.Vae, 0.5f);
        int moved = 0;
        for (int i = 0; i < full.Length; i++)
        {
            if (Math.Abs(full[i]) < 1e-5f) continue;
            moved++;
            Assert.Equal(0.5f, half[i] / full[i], 2);
        }
        Assert.True(moved > full.Length / 2, $"only {moved} of {full.Length} weights moved");
    }

    [Theory]
    [InlineData(AutoencoderKind.Vae)]
    [InlineData(AutoencoderKind.Aae)]
    [InlineData(AutoencoderKind.Wae)]
    public void TheScaleReachesEveryOptimiser(AutoencoderKind kind)
    {
        // Multi-phase models (AAE: three optimisers, WAE-GAN: two) hold still at scale 0 and move every module at 1.
        var o = AutoencoderTestData.Dense(kind) with { Penalty = WaePenalty.Gan };
        Assert.All(FirstStepMoves(o, 0f), m => Assert.All(m.Moves, d => Assert.Equal(0f, d)));
        Assert.All(FirstStepMoves(o, 1f), m => Assert.True(m.Moves.Count(d => d != 0f) > m.Moves.Length / 10, $"{kind}: {m.Name} barely moved"));
    }

    [Fact]
    public void TheTrainerAnnealsToZeroAndTheScheduleIsSaved()
    {
        var o = AutoencoderTestData.Dense(AutoencoderKind.Vae).WithTraining(t => t with { Schedule = LrSchedule.Cosine });
        var model = AutoencoderModel.Create(o);
        var data = AutoencoderTestData.Threes();
        new Trainer(model).Train(data, 0, 4);
        int batches = (data.Count + o.Training.BatchSize - 1) / o.Training.BatchSize;
        Assert.Equal(LrSchedules.Scale(LrSchedule.Cosine, 4L * batches - 1, 4L * batches), model.LearningRateScale, 6);
        Assert.True(model.LearningRateScale < 0.05f);

        using var dir = new TempDir();
        string path = dir.File("vae.safetensors");
        ModelFile.Save(path, model, 2);
        Assert.Equal(LrSchedule.Cosine, AutoencoderModel.Load(path).Model.Options.Training.Schedule);
        Assert.Throws<ArgumentOutOfRangeException>(() => model.LearningRateScale = float.NaN);
    }

    private static float[] FirstStepMoves(AutoencoderKind kind, float scale) =>
        FirstStepMoves(AutoencoderTestData.Dense(kind), scale).SelectMany(m => m.Moves).ToArray();

    /// <summary>How far each weight moves in one training step, per top-level module (enc, dec, disc).</summary>
    private static List<(string Name, float[] Moves)> FirstStepMoves(AutoencoderOptions options, float scale)
    {
        var model = AutoencoderModel.Create(options);
        var before = Weights(model);
        model.LearningRateScale = scale;
        model.Train();
        var data = AutoencoderTestData.Threes();
        var x = new Tensor(10, 1, 28, 28);
        data.X.AsSpan(0, 10 * 784).CopyTo(x.Data);
        model.TrainStep(x, new Rng(5));
        var after = Weights(model);
        return after.Select(kv => (kv.Key, kv.Value.Select((a, i) => a - before[kv.Key][i]).ToArray())).ToList();
    }

    private static Dictionary<string, float[]> Weights(AutoencoderModel model) =>
        model.NamedParameters().GroupBy(p => p.Name.Split('.')[0])
            .ToDictionary(g => g.Key, g => g.SelectMany(p => p.Tensor.Data.ToArray()).ToArray());
}

// Issue 20: what training keeps alive must not grow with the epochs, nor with the odd shapes of an epoch. Each
// autoencoder kind trains a few epochs of a tiny conv network on the committed subset (30 threes, batch 12: two full
// steps and a partial one of 6, then the statistics' eval forward passes at batch 12), and the bytes the trainer's
// BufferPool holds are compared exactly (a count of pooled bytes, not a timing):
//   - after every epoch they are the same: nothing grows after the first epoch;
//   - the first epoch adds under 2 % to what the first step left: the partial batch and the statistics reuse the full
//     step's arrays (best fit) instead of adding sets of their own (before issue 20 they added two: +50 % here);
//     only their arrays under BufferPool.MinBestFit floats are their own;
//   - the peak (in use + free at once) stays what the first epoch reached.
using Latent.Models.Autoencoders;
using Latent.Tests.Models.Autoencoders;

namespace Latent.Tests.Memory;

public class TrainingMemoryTests
{
    [Theory]
    [InlineData(AutoencoderKind.Ae, WaePenalty.Mmd)]
    [InlineData(AutoencoderKind.Dae, WaePenalty.Mmd)]
    [InlineData(AutoencoderKind.Vae, WaePenalty.Mmd)]
    [InlineData(AutoencoderKind.Aae, WaePenalty.Mmd)]
    [InlineData(AutoencoderKind.Wae, WaePenalty.Mmd)]
    [InlineData(AutoencoderKind.Wae, WaePenalty.Gan)]
    public void PooledBytesDoNotGrowAfterTheFirstStep(AutoencoderKind kind, WaePenalty penalty)
    {
        var options = AutoencoderTestData.TinyConv(kind, batchNorm: kind == AutoencoderKind.Aae).WithTraining(t => t with { BatchSize = 12 }) with { Penalty = penalty };
        var model = AutoencoderModel.Create(options);
        var (afterFirstStep, afterEpoch) = FamilyTrainingMemoryTests.Train(model, 3);   // checks the first step pooled, nothing stays rented, 3 epochs
        Assert.All(afterEpoch, e => Assert.Equal(afterEpoch[0].Retained, e.Retained));
        Assert.InRange(afterEpoch[0].Retained, afterFirstStep, afterFirstStep * 102 / 100);
        Assert.All(afterEpoch, e => Assert.Equal(afterEpoch[0].Peak, e.Peak));
    }
}

// The denoising VAE (Im et al. 2017): in training the encoder sees a corrupted copy of x and the loss reconstructs
// the clean x; scoring encodes the clean input. Checked by the step itself: with the corruption the encoder's
// input differs, so the first step's loss differs from the clean VAE's on the same batch and weights, and the
// reconstruction term still falls over training.
using Latent.Models.Autoencoders;
using Latent.Tensors;
using Latent.Models.Training;

namespace Latent.Tests.Models.Autoencoders;

public class DenoisingVaeTests
{
    [Fact]
    public void TheEncoderSeesTheCorruptedCopyInTrainingOnly()
    {
        var clean = AutoencoderTestData.Dense(AutoencoderKind.Vae);
        var noisy = clean with { Denoising = true, NoiseLevel = 0.5f };
        var x = Batch();
        float cleanLoss = AutoencoderModel.Create(clean).TrainStep(x, new Rng(9))[1];
        float noisyLoss = AutoencoderModel.Create(noisy).TrainStep(x, new Rng(9))[1];
        Assert.NotEqual(cleanLoss, noisyLoss);

        // Same weights, eval mode: the denoising model encodes the clean input (no corruption, no randomness).
        var a = AutoencoderModel.Create(clean);
        var b = AutoencoderModel.Create(noisy);
        a.Eval();
        b.Eval();
        using var _ = GradMode.Disable();
        Assert.Equal(a.Encode(x).Data.ToArray(), b.Encode(x).Data.ToArray());
    }

    [Fact]
    public void ADenoisingVaeLearns()
    {
        var model = AutoencoderModel.Create(AutoencoderTestData.Dense(AutoencoderKind.Vae) with { Denoising = true, NoiseLevel = 0.3f });
        var results = new Trainer(model).Train(AutoencoderTestData.Threes(), 0, 10);
        double first = results[0].Terms[1], last = results[^1].Terms[1];
        Assert.True(last < 0.95 * first, $"denoising VAE recon went from {first} to {last}");
    }

    private static Tensor Batch()
    {
        var data = AutoencoderTestData.Threes();
        var x = new Tensor(10, 1, 28, 28);
        data.X.AsSpan(0, 10 * 784).CopyTo(x.Data);
        return x;
    }
}

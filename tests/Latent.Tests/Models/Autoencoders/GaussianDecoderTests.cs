// The Gaussian decoder with the sigma-VAE's optimal sigma (Rybkin et al. 2021): in training, sigma^2 is the batch's
// mean squared error per pixel, so the mean NLL is 0.5 D (1 + ln mse + ln 2 pi) and its gradient is
// (G(z) - x) / (N sigma^2); after training, sigma^2 is the value fitted on the class, and a Gaussian VAE learns.
using Latent.Models.Autoencoders;
using Latent.Tensors;
using Latent.Models;
using Latent.Models.Training;
using Latent.Models.Scores;

namespace Latent.Tests.Models.Autoencoders;

public class GaussianDecoderTests
{
    [Fact]
    public void TrainingNllUsesTheBatchsOptimalSigma()
    {
        var model = AutoencoderModel.Create(AutoencoderTestData.Dense(AutoencoderKind.Vae) with { Likelihood = DecoderLikelihood.Gaussian });
        Assert.DoesNotContain(model.NamedParameters(), p => p.Name == "dec_log_var");
        var rng = new Rng(3);
        var x = new Tensor(4, 1, 28, 28);
        var output = new Tensor(4, 1, 28, 28) { RequiresGrad = true };
        for (int i = 0; i < x.Length; i++) { x.Data[i] = rng.NextFloat(); output.Data[i] = rng.NextFloat(); }
        double mse = 0;
        for (int i = 0; i < x.Length; i++) mse += (double)(x.Data[i] - output.Data[i]) * (x.Data[i] - output.Data[i]);
        mse /= x.Length;

        model.Train();
        Tensor nll = model.ReconstructionNll(output, x).Mean();
        Assert.Equal(0.5 * 784 * (1 + Math.Log(mse) + Math.Log(2 * Math.PI)), nll.Item(), 2);
        Assert.Equal(Math.Log(mse), model.DecoderLogVar!.Data[0], 5);
        nll.Backward();
        for (int i = 0; i < x.Length; i += 97)
            Assert.Equal((output.Data[i] - x.Data[i]) / (4 * mse), output.Grad!.Data[i], 4);

        // eval mode uses the stored sigma^2 and leaves it alone
        model.DecoderLogVar.Data[0] = 0f;
        model.Eval();
        float evalNll = model.ReconstructionNll(output.Detach(), x).Mean().Item();
        Assert.Equal(0.5 * 784 * (mse + Math.Log(2 * Math.PI)), evalNll, 2);
        Assert.Equal(0f, model.DecoderLogVar.Data[0]);
    }

    [Fact]
    public void AGaussianVaeLearnsAndFitsSigmaOnTheClass()
    {
        var model = AutoencoderModel.Create(AutoencoderTestData.Dense(AutoencoderKind.Vae) with { Likelihood = DecoderLikelihood.Gaussian });
        ClassStatistics.Fit(model, AutoencoderTestData.Threes());
        float untrained = model.NoiseVar.Data[0];
        var results = new Trainer(model).Train(AutoencoderTestData.Threes(), 0, 8);
        double first = results[0].Terms[1], last = results[^1].Terms[1];
        Assert.True(last < first - 50, $"Gaussian recon NLL went from {first} to {last}");
        Assert.Equal(MathF.Log(model.NoiseVar.Data[0]), model.DecoderLogVar!.Data[0], 6);
        Assert.True(model.NoiseVar.Data[0] < 0.9f * untrained, $"sigma^2 {model.NoiseVar.Data[0]} vs {untrained} untrained");
    }
}

// Samples of a generative model: codes drawn from the prior its generator was trained against (IGenerator.SamplePrior,
// e.g. N(0, I) for the VAE, AAE and WAE) and decoded to the mean image E[x | z], or images drawn directly by a model
// without codes (ISampler: PixelCNN, pixel by pixel). Used by the sample grids of
// `latent train` and by every command that shows what a model generates.
using Latent.Models.Training;
using Latent.Tensors;

namespace Latent.Models.Scores;

public static class PriorSampling
{
    /// <summary>Largest number of samples one call draws.</summary>
    public const int MaxCount = 100_000;

    /// <summary><paramref name="count"/> decoded samples (count, C, H, W) from a fixed <paramref name="seed"/>.</summary>
    public static float[] Sample(GenerativeModel model, int count, int seed)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model is not IGenerator and not ISampler)
            throw new ArgumentException($"model '{model.Options.ModelName}' cannot generate: it has no decoder.");
        if (count < 1 || count > MaxCount) throw new ArgumentException($"sample count {count} must be 1 to {MaxCount}.");
        if (model is ISampler sampler) return sampler.Sample(count, new Rng((ulong)(uint)seed)).ToArray();
        var g = (IGenerator)model;
        Tensor z = g.SamplePrior(count, new Rng((ulong)(uint)seed));
        model.Eval();
        using (GradMode.Disable()) return g.Mean(g.Decode(z)).ToArray();
    }
}

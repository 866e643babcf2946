// Samples of a generative model: codes drawn from the prior its generator was trained against (IGenerator.SamplePrior,
// e.g. N(0, I) for the VAE, AAE and WAE) and decoded to the mean image E[x | z]. Used by the sample grids of
// `latent train` and by every command that shows what a model generates. A model that draws images itself (ISampler:
// the flows' inverse, PixelCNN pixel by pixel) is sampled directly.
using Latent.Models.Training;
using Latent.Tensors;

namespace Latent.Models.Scores;

/// <summary>Samples of a generative model: codes drawn from the prior its generator was trained against (IGenerator.SamplePrior, e.g. N(0, I) for the VAE, AAE and WAE) and decoded to the mean image E[x | z].</summary>
public static class PriorSampling
{
    /// <summary>Largest number of samples one call draws.</summary>
    public const int MaxCount = 100_000;

    /// <summary><paramref name="count"/> decoded samples (count, C, H, W) from a fixed <paramref name="seed"/>.</summary>
    public static float[] Sample(GenerativeModel model, int count, int seed)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (count < 1 || count > MaxCount) throw new ArgumentException($"sample count {count} must be 1 to {MaxCount}.");
        if (model is ISampler sampler)
        {
            model.Eval();
            using (GradMode.Disable()) return sampler.Sample(count, new Rng((ulong)(uint)seed)).ToArray();
        }
        if (model is not IGenerator g)
            throw new ArgumentException($"model '{model.Options.ModelName}' cannot generate: it has no decoder and no sampler.");
        Tensor z = g.SamplePrior(count, new Rng((ulong)(uint)seed));
        model.Eval();
        using (GradMode.Disable()) return g.Mean(g.Decode(z)).ToArray();
    }
}

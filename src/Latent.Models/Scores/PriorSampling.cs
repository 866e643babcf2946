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

    /// <summary><paramref name="count"/> decoded samples (count, C, H, W) from a fixed <paramref name="seed"/>. With a
    /// <paramref name="pool"/> (the trainer's, for the sample grid after every epoch) and no step active, the passes run
    /// in a step of it and reuse its arrays (issue 20: the AAE's 64-sample grid left 47 MB of large arrays to the
    /// collector every epoch, and the resident set grew by as much per epoch); the images are copied out of it.</summary>
    public static float[] Sample(GenerativeModel model, int count, int seed, BufferPool? pool = null)
    {
        using (pool is null || BufferPool.Current is not null ? (BufferPool.StepScope?)null : pool.Step()) return Draw(model, count, seed).ToArray();   // Draw checks its arguments
    }

    /// <summary>The samples of <see cref="Sample"/> as the tensor (count, C, H, W) the last pass wrote: inside a step of
    /// a pool its array is the pool's, valid until the step ends, so a caller that only reads them (the sample grid
    /// after every epoch) copies nothing.</summary>
    public static Tensor Draw(GenerativeModel model, int count, int seed)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (count < 1 || count > MaxCount) throw new ArgumentException($"sample count {count} must be 1 to {MaxCount}.");
        if (model is ISampler sampler)
        {
            model.Eval();
            using (GradMode.Disable()) return sampler.Sample(count, new Rng((ulong)(uint)seed));
        }
        if (model is not IGenerator g)
            throw new ArgumentException($"model '{model.Options.ModelName}' cannot generate: it has no decoder and no sampler.");
        Tensor z = g.SamplePrior(count, new Rng((ulong)(uint)seed));
        model.Eval();
        using (GradMode.Disable()) return g.Mean(g.Decode(z));
    }
}

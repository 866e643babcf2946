// Samples of any model that can generate, as (N, D) images in [0, 1]: a trained generator decodes prior draws to the
// mean image (PriorSampling); the diagonal Gaussian ("naive Bayes", seed 002) draws every pixel from N(mu_j, v_j),
// clipped to [0, 1]. Other kinds (PCA, kNN) cannot generate: an error naming the kinds that can.
using Latent.Models.Classical;
using Latent.Models.Scores;
using Latent.Tensors;

namespace Latent.Models.Exploration;

/// <summary>Samples of any model that can generate, as (N, D) images in [0, 1].</summary>
public static class ImageSampler
{
    /// <summary>(count, D) samples of <paramref name="model"/> from <paramref name="seed"/>.</summary>
    public static float[] Sample(IClassModel model, int count, int seed)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (count < 1 || count > PriorSampling.MaxCount) throw new ArgumentException($"sample count {count} must be 1 to {PriorSampling.MaxCount}.");
        if (model is GenerativeScores { Model: IGenerator } g) return PriorSampling.Sample(g.Model, count, seed);
        if (model is DiagonalGaussian d)
        {
            int dim = d.Mean.Length;
            var x = new float[(long)count * dim];
            var rng = new Rng((ulong)(uint)seed);
            rng.Normal(x);
            for (int i = 0; i < count; i++)
                for (int j = 0; j < dim; j++)
                {
                    int k = i * dim + j;
                    x[k] = (float)Math.Clamp(d.Mean[j] + Math.Sqrt(d.Variance[j]) * x[k], 0, 1);
                }
            return x;
        }
        throw new ArgumentException($"model '{model.Name}' cannot generate images; models that can: gaussian, ae, dae, vae, aae, wae, gan, bigan, infogan.");
    }
}
